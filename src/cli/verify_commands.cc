// `quanze verify` (local and remote audit) and `quanze receipt verify`.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/ledger_service.h"
#include "cli/commands.h"
#include "ledger/note.h"
#include "ledger/tree.h"

namespace quanze::cli {
namespace {

Error Network(const std::string& what) {
  return MakeError(ErrorCode::kUnavailable, "网络错误：" + what, "network error: " + what);
}

class ProgressBar {
 public:
  void Update(std::int64_t done, std::int64_t total) {
    if (!isatty(STDERR_FILENO) && done != total) return;
    int width = 30;
    int filled = total > 0 ? static_cast<int>(width * done / total) : width;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
              << "/" << total << (done == total ? "\n" : "") << std::flush;
  }
};

struct FetchedCheckpoint {
  std::string note;
  ledger::Checkpoint checkpoint;
};

Result<std::string> FetchText(const std::string& url, const std::string& path) {
  QZ_ASSIGN_OR_RETURN(HttpResult r, HttpGet(url, path));
  if (r.status != 200) {
    return MakeError(ErrorCode::kUnavailable, path + " 返回 HTTP " + std::to_string(r.status),
                     path + " answered HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 300));
  }
  return r.body;
}

Result<nlohmann::json> FetchJson(const std::string& url, const std::string& path) {
  QZ_ASSIGN_OR_RETURN(std::string body, FetchText(url, path));
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    return MakeError(ErrorCode::kValidation, path + " 返回的不是 JSON", path + " did not return JSON");
  }
  return j;
}

Result<FetchedCheckpoint> FetchCheckpoint(const std::string& url, const ledger::NoteVerifier& v) {
  QZ_ASSIGN_OR_RETURN(std::string note, FetchText(url, "/api/v1/ledger/checkpoint"));
  auto body = v.Verify(note);
  if (!body.ok()) {
    return MakeError(ErrorCode::kValidation, "检查点签名验证失败：" + body.error().message_zh,
                     "checkpoint signature does not verify: " + body.error().message_en);
  }
  QZ_ASSIGN_OR_RETURN(auto cp, ledger::ParseCheckpoint(*body));
  return FetchedCheckpoint{note, cp};
}

Result<std::vector<ledger::Hash>> DecodeHashes(const nlohmann::json& arr) {
  std::vector<ledger::Hash> out;
  if (!arr.is_array()) {
    return MakeError(ErrorCode::kValidation, "证明格式错误", "malformed proof");
  }
  for (const auto& h : arr) {
    if (!h.is_string()) return MakeError(ErrorCode::kValidation, "证明格式错误", "malformed proof");
    QZ_ASSIGN_OR_RETURN(auto hash, ledger::HashFromBase64(h.get<std::string>()));
    out.push_back(hash);
  }
  return out;
}

Result<bool> CheckInclusion(const std::string& url, std::int64_t index, const ledger::Checkpoint& cp,
                            const std::optional<ledger::Hash>& expected_leaf) {
  QZ_ASSIGN_OR_RETURN(auto proof, FetchJson(url, "/api/v1/ledger/proof/inclusion?index=" +
                                                     std::to_string(index) + "&size=" + std::to_string(cp.size)));
  if (!proof.contains("leaf_hash") || !proof["leaf_hash"].is_string()) {
    return MakeError(ErrorCode::kValidation, "证明格式错误", "malformed proof");
  }
  QZ_ASSIGN_OR_RETURN(auto leaf, ledger::HashFromBase64(proof["leaf_hash"].get<std::string>()));
  if (expected_leaf && !ledger::HashEqual(leaf, *expected_leaf)) return false;
  QZ_ASSIGN_OR_RETURN(auto hashes, DecodeHashes(proof["hashes"]));
  return ledger::VerifyInclusion(ledger::ThreadLocalHasher(), index, cp.size, leaf, hashes, cp.root);
}

}  // namespace

Result<HttpResult> HttpGet(const std::string& base_url, const std::string& path) {
  if (base_url.rfind("http://", 0) != 0) {
    return MakeError(ErrorCode::kBadRequest, "只支持 http:// 地址（TLS 请经本地代理）",
                     "only http:// URLs are supported (use a local proxy for TLS)");
  }
  std::string rest = base_url.substr(7);
  std::string hostport = rest.substr(0, rest.find('/'));
  std::string prefix = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/'));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  std::string host = hostport, port = "80";
  if (auto c = hostport.rfind(':'); c != std::string::npos && hostport.find(']') == std::string::npos) {
    host = hostport.substr(0, c);
    port = hostport.substr(c + 1);
  } else if (hostport.front() == '[') {
    auto close = hostport.find(']');
    host = hostport.substr(1, close - 1);
    if (close + 2 < hostport.size()) port = hostport.substr(close + 2);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) {
    return Network("cannot resolve " + host);
  }
  int fd = ::socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (fd < 0 || ::connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    freeaddrinfo(res);
    if (fd >= 0) ::close(fd);
    return Network("cannot connect to " + hostport);
  }
  freeaddrinfo(res);
  std::string req = "GET " + prefix + path + " HTTP/1.1\r\nHost: " + hostport +
                    "\r\nConnection: close\r\nUser-Agent: quanze-verify\r\n\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return Network("send failed");
  }
  std::string data;
  char buf[16384];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > (64u << 20)) break;
  }
  ::close(fd);
  auto header_end = data.find("\r\n\r\n");
  if (data.rfind("HTTP/1.", 0) != 0 || header_end == std::string::npos) return Network("malformed response");
  HttpResult r;
  r.status = std::atoi(data.c_str() + 9);
  std::string headers = data.substr(0, header_end);
  std::string body = data.substr(header_end + 4);
  std::string lower;
  for (char c : headers) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("transfer-encoding: chunked") != std::string::npos) {
    std::string out;
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t eol = body.find("\r\n", pos);
      if (eol == std::string::npos) break;
      std::size_t len = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
      if (len == 0) break;
      out += body.substr(eol + 2, len);
      pos = eol + 2 + len + 2;
    }
    body = out;
  }
  r.body = std::move(body);
  return r;
}

int RunVerifyLocal(const GlobalOptions& g) {
  auto config = ResolveConfig(g, {});
  if (!config.ok()) return Fail(config.error());
  if (!store::DatabaseExists(config->db)) {
    return Fail(MakeError(ErrorCode::kBadRequest, "数据库不存在：" + config->db, "no database at " + config->db));
  }
  auto app = OpenApp(*config);
  if (!app.ok()) return Fail(app.error());
  ProgressBar bar;
  std::cerr << "正在校验日志 / verifying the log …\n";
  auto report = app::VerifyLog((*app)->db(), (*app)->ledger().VerifierKey(),
                               [&bar](std::int64_t d, std::int64_t t) { bar.Update(d, t); });
  if (!report.ok()) return Fail(report.error());
  if (!report->ok()) {
    std::cout << "FAILED: first bad index " << report->first_bad_index.value_or(-1) << "\n";
    for (const auto& p : report->problems) std::cout << "  " << p << "\n";
    return 1;
  }
  std::cout << "OK: " << report->entries << " entries and " << report->checkpoints
            << " signed checkpoints verified / 日志完整，签名检查点一致\n";
  return 0;
}

int RunVerifyRemote(const VerifyOptions& o) {
  auto key_text = FetchText(o.url, "/api/v1/ledger/key");
  if (!key_text.ok()) return Fail(key_text.error());
  std::string key = *key_text;
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();

  // State: the verifier key and the last checkpoint note seen.
  nlohmann::json state = nlohmann::json::object();
  if (!o.state_file.empty()) {
    std::ifstream in(o.state_file);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      state = nlohmann::json::parse(ss.str(), nullptr, false);
      if (state.is_discarded() || !state.is_object()) {
        return Fail(MakeError(ErrorCode::kBadRequest, "状态文件损坏：" + o.state_file, "state file is corrupt: " + o.state_file));
      }
    }
  }
  if (state.contains("key") && state["key"] != key) {
    std::cout << "FAILED: the server's verifier key changed / 服务器验证公钥已变更\n";
    return 1;
  }
  auto verifier = ledger::NoteVerifier::FromVerifierKey(key);
  if (!verifier.ok()) return Fail(verifier.error());
  auto cp = FetchCheckpoint(o.url, *verifier);
  if (!cp.ok()) {
    std::cout << "FAILED: " << cp.error().Describe() << "\n";
    return 1;
  }
  std::cout << "checkpoint: size " << cp->checkpoint.size << ", signature OK\n";

  if (state.contains("note")) {
    auto old_body = verifier->Verify(state["note"].get<std::string>());
    auto old = old_body.ok() ? ledger::ParseCheckpoint(*old_body) : Result<ledger::Checkpoint>(old_body.error());
    if (!old.ok()) return Fail(old.error());
    if (old->size > cp->checkpoint.size) {
      std::cout << "FAILED: the log shrank from " << old->size << " to " << cp->checkpoint.size << "\n";
      return 1;
    }
    auto proof = FetchJson(o.url, "/api/v1/ledger/proof/consistency?from=" + std::to_string(old->size) +
                                      "&to=" + std::to_string(cp->checkpoint.size));
    if (!proof.ok()) return Fail(proof.error());
    auto hashes = DecodeHashes((*proof)["hashes"]);
    if (!hashes.ok()) return Fail(hashes.error());
    if (!ledger::VerifyConsistency(ledger::ThreadLocalHasher(), old->size, cp->checkpoint.size, old->root,
                                   cp->checkpoint.root, *hashes)) {
      std::cout << "FAILED: checkpoint " << cp->checkpoint.size << " is not consistent with the last one seen ("
                << old->size << ") — the log was rewritten / 日志被改写\n";
      return 1;
    }
    std::cout << "consistent with the last checkpoint seen (size " << old->size << ")\n";
  }

  std::mt19937_64 rng(std::random_device{}());
  int checked = 0;
  for (int i = 0; i < o.samples && cp->checkpoint.size > 0; ++i) {
    std::int64_t index = i == 0 ? cp->checkpoint.size - 1
                                : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(cp->checkpoint.size));
    auto ok = CheckInclusion(o.url, index, cp->checkpoint, std::nullopt);
    if (!ok.ok()) return Fail(ok.error());
    if (!*ok) {
      std::cout << "FAILED: inclusion proof for index " << index << " does not verify\n";
      return 1;
    }
    ++checked;
  }
  std::cout << checked << " inclusion proofs verified\n";
  if (!o.state_file.empty()) {
    std::ofstream out(o.state_file, std::ios::trunc);
    out << nlohmann::json{{"key", key}, {"note", cp->note}}.dump(2) << "\n";
  }
  std::cout << "OK / 审计通过\n";
  return 0;
}

int RunReceiptVerify(const ReceiptOptions& o) {
  std::string key = o.key;
  if (key.empty()) {
    auto k = FetchText(o.url, "/api/v1/ledger/key");
    if (!k.ok()) return Fail(k.error());
    key = *k;
  }
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  auto leaf = ledger::HashFromBase64(o.leaf_hash);
  if (!leaf.ok()) return Fail(leaf.error());
  auto verifier = ledger::NoteVerifier::FromVerifierKey(key);
  if (!verifier.ok()) return Fail(verifier.error());
  auto cp = FetchCheckpoint(o.url, *verifier);
  if (!cp.ok()) {
    std::cout << "NOT VERIFIED: " << cp.error().Describe() << "\n";
    return 1;
  }
  if (o.index < 0 || o.index >= cp->checkpoint.size) {
    std::cout << "NOT YET: index " << o.index << " is not covered by the latest signed checkpoint (size "
              << cp->checkpoint.size << "); try again in a few seconds / 尚未纳入最新检查点\n";
    return 1;
  }
  auto ok = CheckInclusion(o.url, o.index, cp->checkpoint, *leaf);
  if (!ok.ok()) return Fail(ok.error());
  if (!*ok) {
    std::cout << "NOT VERIFIED: the receipt is not in the log / 该回执不在日志中\n";
    return 1;
  }
  std::cout << "VERIFIED: entry " << o.index << " is in the log of size " << cp->checkpoint.size
            << " signed by " << verifier->name() << " / 该记录已在公开日志中\n";
  return 0;
}

}  // namespace quanze::cli
