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
  "  static constexpr std::string_view kDocument = R\"openapi(${DOCUMENT})openapi\";\n"
  "  return kDocument;\n"
  "}\n"
  "}  // namespace casedesk::adapters::http\n")
