// Decoding the bytes of an imported file to UTF-8 (shared by the catalogue and
// staffing imports): BOM sniffing, a UTF-8 check, and iconv for the rest.
#include "domain/text_encoding.h"

#include <iconv.h>

#include <cerrno>

namespace quanze::domain {
namespace {

class IconvHandle {
 public:
  IconvHandle(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~IconvHandle() {
    if (ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

// The converted text, or the byte offset of the first sequence `from` rejects.
Result<std::string> Convert(std::string_view in, const char* from, std::string_view name) {
  IconvHandle cd("UTF-8", from);
  if (!cd.ok()) {
    return MakeError(ErrorCode::kInternal, "系统不支持" + std::string(name) + "编码转换",
                     "iconv cannot convert from " + std::string(name));
  }
  std::string out(in.size() * 2 + 16, '\0');
  char* inp = const_cast<char*>(in.data());
  size_t in_left = in.size();
  char* outp = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd.get(), &inp, &in_left, &outp, &out_left) != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      size_t used = outp - out.data();
      out.resize(out.size() * 2);
      outp = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    size_t offset = inp - in.data();
    return MakeError(ErrorCode::kBadRequest,
                     "文件编码无法识别：不是UTF-8，按" + std::string(name) + "解码在第" +
                         std::to_string(offset + 1) + "字节处失败。请另存为UTF-8或GBK编码的CSV",
                     "unrecognised text encoding: not UTF-8, and " + std::string(name) +
                         " decoding fails at byte " + std::to_string(offset + 1) +
                         "; save the file as UTF-8 or GBK CSV",
                     {{"byte_offset", offset}, {"tried", {"UTF-8", std::string(name)}}});
  }
  out.resize(outp - out.data());
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    unsigned char c1 = s[i + 1];
    if (c1 < lo || c1 > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      unsigned char ck = s[i + k];
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

Result<std::string> DecodeToUtf8(std::string_view bytes) {
  if (bytes.starts_with("PK\x03\x04")) {
    return MakeError(ErrorCode::kBadRequest,
                     "这是Excel工作簿（.xlsx）文件，请在Excel中“另存为”CSV后再导入",
                     "this is an Excel workbook (.xlsx); save it as CSV and import that");
  }
  if (bytes.starts_with("\xEF\xBB\xBF"))
    bytes.remove_prefix(3);
  else if (bytes.starts_with("\xFF\xFE"))
    return Convert(bytes.substr(2), "UTF-16LE", "UTF-16LE");
  else if (bytes.starts_with("\xFE\xFF"))
    return Convert(bytes.substr(2), "UTF-16BE", "UTF-16BE");
  if (IsValidUtf8(bytes)) return std::string(bytes);
  QZ_ASSIGN_OR_RETURN(std::string text, Convert(bytes, "GB18030", "GB18030"));
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // a GB18030 BOM (84 31 95 33)
  return text;
}

}  // namespace quanze::domain
