# Turns docs/api/openapi.json into a C++ source defining OpenApiDocument().
file(READ ${INPUT} DOCUMENT)
string(FIND "${DOCUMENT}" ")openapi\"" CLASH)
if(NOT CLASH EQUAL -1)
  message(FATAL_ERROR "openapi.json contains the raw-string delimiter")
endif()
file(WRITE ${OUTPUT} "// Generated from docs/api/openapi.json by scripts/embed-openapi.cmake.\n"
  "#include \"adapters/http/api_system.h\"\n"
  "namespace casedesk::adapters::http {\n"
  "std::string_view OpenApiDocument() {\n"
  "  // An array, not a constexpr string_view: measuring a literal this long at compile time\n"
  "  // exceeds GCC's constexpr loop limit (262,144 iterations).\n"
  "  static constexpr char kDocument[] = R\"openapi(${DOCUMENT})openapi\";\n"
  "  return std::string_view(kDocument, sizeof(kDocument) - 1);\n"
  "}\n"
  "}  // namespace casedesk::adapters::http\n")
