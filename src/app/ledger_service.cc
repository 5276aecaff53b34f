#include "app/ledger_service.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/ledger_reader.h"
#include "ledger/tree.h"
#include "store/records.h"

namespace quanze::app {
namespace {

std::string Bytes(const ledger::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

ledger::Hash ToHash(const std::string& s) {
  ledger::Hash h{};
  if (s.size() == h.size()) std::copy(s.begin(), s.end(), h.begin());
  return h;
}

Result<std::optional<std::string>> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<std::string>();
  std::stringstream ss;
  ss << in.rdbuf();
  return std::optional<std::string>(ss.str());
}

// Writes a new file with mode 0600, refusing to overwrite.
Status WriteSecretFile(const std::string& path, const std::string& content) {
  std::error_code ec;  // var/ for a PostgreSQL database's keys may not exist yet
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return MakeError(ErrorCode::kInternal, "无法创建密钥文件：" + path, "cannot create key file: " + path);
  }
  ::fchmod(fd, 0600);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) {
    return MakeError(ErrorCode::kInternal, "写入密钥文件失败：" + path, "writing key file failed: " + path);
  }
  return Ok();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

Error BadRange(const std::string& zh, const std::string& en) {
  return MakeError(ErrorCode::kBadRequest, zh, en);
}

}  // namespace

Error MissingKeyFile(const std::string& file) {
  return MakeError(ErrorCode::kBadRequest,
                   "密钥文件 " + file + " 不存在，但数据库中已有日志：请放回该数据库的密钥文件"
                       "（或用 QUANZE_LEDGER_KEY_FILE / QUANZE_LEDGER_SECRET_FILE 指明位置）；"
                       "用新密钥签出的检查点将与已发布的检查点对不上",
                   "the key file " + file + " does not exist but the database already holds a log: "
                       "put back this database's key files (or name them with QUANZE_LEDGER_KEY_FILE / "
                       "QUANZE_LEDGER_SECRET_FILE); checkpoints signed with a new key would match none "
                       "already published");
}

Result<LedgerKeys> LoadOrCreateLedgerKeys(const std::string& key_file,
                                          const std::string& secret_file,
                                          const std::string& origin, bool may_create) {
  QZ_ASSIGN_OR_RETURN(auto key_text, ReadSmallFile(key_file));
  QZ_ASSIGN_OR_RETURN(auto secret_check, ReadSmallFile(secret_file));
  if (!may_create && !key_text) return MissingKeyFile(key_file);
  if (!may_create && !secret_check) return MissingKeyFile(secret_file);
  std::optional<ledger::NoteSigner> signer;
  if (key_text) {
    auto s = ledger::NoteSigner::FromPrivateKey(Trim(*key_text));
    if (!s.ok()) {
      return MakeError(ErrorCode::kInternal, "签名密钥文件无效：" + key_file + "（" + s.error().message_zh + "）",
                       "signing key file is invalid: " + key_file + " (" + s.error().message_en + ")");
    }
    signer.emplace(std::move(s).value());
  } else {
    QZ_ASSIGN_OR_RETURN(auto s, ledger::NoteSigner::Generate(origin));
    QZ_TRY(WriteSecretFile(key_file, s.PrivateKey() + "\n"));
    signer.emplace(std::move(s));
  }
  auto& secret_text = secret_check;
  std::string secret;
  if (secret_text) {
    auto decoded = ledger::Base64Decode(Trim(*secret_text));
    if (!decoded.ok() || decoded->size() < 32) {
      return MakeError(ErrorCode::kInternal, "承诺密钥文件无效：" + secret_file,
                       "commitment secret file is invalid: " + secret_file);
    }
    secret = *decoded;
  } else {
    if (sodium_init() < 0) {
      return MakeError(ErrorCode::kInternal, "libsodium 初始化失败", "libsodium failed to initialise");
    }
    secret.resize(32);
    randombytes_buf(secret.data(), secret.size());
    QZ_TRY(WriteSecretFile(secret_file, ledger::Base64Encode(secret) + "\n"));
  }
  return LedgerKeys{std::move(*signer), std::move(secret)};
}

LedgerService::LedgerService(store::Database& db, Writer& writer, const ledger::NoteSigner& signer,
                             const Clock& clock, std::string origin,
                             std::chrono::milliseconds min_interval)
    : db_(db),
      writer_(writer),
      signer_(signer),
      clock_(clock),
      origin_(std::move(origin)),
      min_interval_(min_interval) {}

Result<std::string> LedgerService::Sign(Tx& tx) {
  std::int64_t size = tx.journal().size();
  QZ_ASSIGN_OR_RETURN(auto latest, store::LatestCheckpoint(tx.conn()));
  if (latest && latest->size == size) return latest->note;
  ConnectionHashReader reader(tx.conn());
  QZ_ASSIGN_OR_RETURN(ledger::Hash root, ledger::TreeHash(size, reader));
  if (latest) {
    // Never sign a tree that is not an extension of the last signed one.
    QZ_ASSIGN_OR_RETURN(auto proof, ledger::ProveConsistency(latest->size, size, reader));
    if (!ledger::VerifyConsistency(ledger::ThreadLocalHasher(), latest->size, size,
                                   ToHash(latest->root), root, proof)) {
      return MakeError(ErrorCode::kInternal, "日志与上一检查点不一致，拒绝签名",
                       "the log is not consistent with the last checkpoint; refusing to sign");
    }
  }
  std::string note = signer_.Sign(ledger::FormatCheckpoint({origin_, size, root}));
  QZ_TRY(store::InsertCheckpoint(tx.conn(), {size, Bytes(root), note, tx.now_seconds()}));
  return note;
}

Result<std::string> LedgerService::SignNow() {
  std::lock_guard lock(sign_mu_);
  auto r = writer_.Run([this](Tx& tx) -> Result<nlohmann::json> {
    QZ_ASSIGN_OR_RETURN(std::string note, Sign(tx));
    return nlohmann::json(note);
  });
  if (!r.ok()) return r.take_error();
  last_sign_ = std::chrono::steady_clock::now();
  return r->value.get<std::string>();
}

Result<std::string> LedgerService::LatestCheckpoint() {
  std::optional<store::CheckpointRecord> latest;
  std::int64_t size = 0;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(latest, store::LatestCheckpoint(c));
    QZ_ASSIGN_OR_RETURN(size, store::LedgerSize(c));
    return Ok();
  }));
  if (latest && latest->size == size) return latest->note;
  {
    std::lock_guard lock(sign_mu_);
    bool recent = std::chrono::steady_clock::now() - last_sign_ < min_interval_;
    if (latest && recent) return latest->note;
  }
  return SignNow();
}

Result<std::int64_t> LedgerService::Size() {
  std::int64_t size = 0;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(size, store::LedgerSize(c));
    return Ok();
  }));
  return size;
}

Result<std::int64_t> LedgerService::ApproximateSize() {
  std::int64_t size = writer_.committed_log_size();
  if (size >= 0) return size;
  // No commit in this process yet: read the size once and remember it.
  size = startup_size_.load();
  if (size >= 0) return size;
  QZ_ASSIGN_OR_RETURN(size, Size());
  startup_size_.store(size);
  return size;
}

Result<nlohmann::json> LedgerService::InclusionProof(std::int64_t index, std::int64_t size) {
  nlohmann::json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(std::int64_t log_size, store::LedgerSize(c));
    if (size < 1 || size > log_size) {
      return BadRange("size 超出日志范围（日志共 " + std::to_string(log_size) + " 条）",
                      "size is beyond the log (the log has " + std::to_string(log_size) + " entries)");
    }
    if (index < 0 || index >= size) {
      return BadRange("index 须满足 0 ≤ index < size", "index must satisfy 0 <= index < size");
    }
    ConnectionHashReader reader(c);
    QZ_ASSIGN_OR_RETURN(auto proof, ledger::ProveInclusion(index, size, reader));
    QZ_ASSIGN_OR_RETURN(auto entry, store::GetLedgerEntry(c, index));
    nlohmann::json hashes = nlohmann::json::array();
    for (const auto& h : proof) hashes.push_back(ledger::Base64Encode(h));
    out = {{"index", index},
           {"size", size},
           {"leaf_hash", ledger::Base64Encode(entry ? entry->leaf_hash : std::string())},
           {"hashes", hashes}};
    return Ok();
  }));
  return out;
}

Result<nlohmann::json> LedgerService::ConsistencyProof(std::int64_t from, std::int64_t to) {
  nlohmann::json out;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(std::int64_t log_size, store::LedgerSize(c));
    if (from < 0 || to < 0 || from > to) {
      return BadRange("须满足 0 ≤ from ≤ to", "from and to must satisfy 0 <= from <= to");
    }
    if (to > log_size) {
      return BadRange("to 超出日志范围（日志共 " + std::to_string(log_size) + " 条）",
                      "to is beyond the log (the log has " + std::to_string(log_size) + " entries)");
    }
    ConnectionHashReader reader(c);
    QZ_ASSIGN_OR_RETURN(auto proof, ledger::ProveConsistency(from, to, reader));
    nlohmann::json hashes = nlohmann::json::array();
    for (const auto& h : proof) hashes.push_back(ledger::Base64Encode(h));
    out = {{"from", from}, {"to", to}, {"hashes", hashes}};
    return Ok();
  }));
  return out;
}

Result<nlohmann::json> LedgerService::Entry(std::int64_t index) {
  std::optional<store::LedgerEntryRecord> entry;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(entry, store::GetLedgerEntry(c, index));
    return Ok();
  }));
  if (!entry) {
    return MakeError(ErrorCode::kNotFound, "日志中没有第 " + std::to_string(index) + " 条",
                     "no ledger entry " + std::to_string(index));
  }
  nlohmann::json parsed = nlohmann::json::parse(entry->entry, nullptr, false);
  return nlohmann::json{{"index", entry->idx},
                        {"type", entry->type},
                        {"at", entry->at},
                        {"leaf_hash", ledger::Base64Encode(entry->leaf_hash)},
                        {"entry", parsed}};
}

Result<std::string> LedgerService::RawEntry(std::int64_t index) {
  std::optional<store::LedgerEntryRecord> entry;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    QZ_ASSIGN_OR_RETURN(entry, store::GetLedgerEntry(c, index));
    return Ok();
  }));
  if (!entry) {
    return MakeError(ErrorCode::kNotFound, "日志中没有第 " + std::to_string(index) + " 条",
                     "no ledger entry " + std::to_string(index));
  }
  return entry->entry;
}

}  // namespace quanze::app
