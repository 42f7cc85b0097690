// CSV export of report tables (RFC 4180): fields holding a comma, quote, CR or LF are quoted
// with quotes doubled, lines end in CRLF. Text a spreadsheet would run as a formula (starting
// with =, +, -, @, a tab or CR, and not a plain number) gets a leading apostrophe (OWASP's
// advice on CSV injection), so a customer-chosen name cannot become a formula.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace casedesk::core {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::string CsvField(std::string_view text);
std::string CsvLine(const std::vector<std::string>& fields);  // with the CRLF
std::string ToCsv(const CsvTable& table);                     // header line, then rows

}  // namespace casedesk::core
