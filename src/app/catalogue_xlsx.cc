// XLSX rendering of catalogue tables with libxlsxwriter (which writes to a
// file: the workbook goes to a private temporary file that is read back and
// removed).
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/catalogue_internal.h"

namespace quanze::app::catalogue_internal {
namespace {

constexpr std::size_t kMaxCellBytes = 32767;  // Excel's limit (LXW_STR_MAX)

// At most kMaxCellBytes, cut at a UTF-8 character boundary.
std::string FitCell(const std::string& s) {
  if (s.size() <= kMaxCellBytes) return s;
  std::size_t n = kMaxCellBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

Error XlsxError(const std::string& what) {
  return MakeError(ErrorCode::kInternal, "生成 XLSX 文件失败：" + what,
                   "cannot write the XLSX workbook: " + what);
}

}  // namespace

Result<std::string> RenderXlsx(const std::vector<std::vector<std::string>>& table,
                               const std::string& sheet_name) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/quanze-xlsx-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) return XlsxError("mkstemp");
  ::close(fd);
  struct Unlink {
    std::string path;
    ~Unlink() { ::unlink(path.c_str()); }
  } unlink_at_exit{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return XlsxError("workbook_new");
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* cell = workbook_add_format(wb);
  format_set_text_wrap(cell);
  format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format(cell, "@");  // text: codes keep their leading zeros

  std::size_t columns = table.empty() ? 0 : table[0].size();
  for (std::size_t col = 0; col < columns; ++col) {
    double width = col == 1 ? 40 : (col == 4 || col == 15 || col == 16 || col == 17) ? 50 : 16;
    worksheet_set_column(ws, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), width,
                         nullptr);
  }
  worksheet_freeze_panes(ws, 1, 2);
  lxw_error err = LXW_NO_ERROR;
  for (std::size_t row = 0; row < table.size() && err == LXW_NO_ERROR; ++row) {
    for (std::size_t col = 0; col < table[row].size() && err == LXW_NO_ERROR; ++col) {
      const std::string& text = table[row][col];
      if (text.empty() && row > 0) continue;
      err = worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                                   FitCell(text).c_str(), row == 0 ? head : cell);
    }
  }
  if (columns > 0 && err == LXW_NO_ERROR) {
    err = worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(table.size() - 1),
                               static_cast<lxw_col_t>(columns - 1));
  }
  lxw_error closed = workbook_close(wb);
  if (err != LXW_NO_ERROR) return XlsxError(lxw_strerror(err));
  if (closed != LXW_NO_ERROR) return XlsxError(lxw_strerror(closed));

  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return XlsxError("read back");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace quanze::app::catalogue_internal
