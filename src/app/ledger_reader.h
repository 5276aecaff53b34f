// ConnectionHashReader: reads the log's stored hashes through a database
// connection (inside its transaction or snapshot), for the ledger library's
// tree, proof and append functions.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "ledger/tree.h"
#include "store/records.h"

namespace quanze::app {

class ConnectionHashReader final : public ledger::HashReader {
 public:
  explicit ConnectionHashReader(store::Connection& conn) : conn_(conn) {}
  Result<std::vector<ledger::Hash>> ReadHashes(std::span<const std::int64_t> indexes) override {
    std::vector<std::int64_t> ids(indexes.begin(), indexes.end());
    auto raw = store::ReadLedgerHashes(conn_, ids);
    if (!raw.ok()) return raw.take_error();
    std::vector<ledger::Hash> out(raw->size());
    for (std::size_t i = 0; i < raw->size(); ++i) {
      const std::string& h = (*raw)[i];
      if (h.size() != out[i].size()) {
        return MakeError(ErrorCode::kInternal, "日志哈希长度错误", "stored ledger hash has wrong length");
      }
      std::copy(h.begin(), h.end(), out[i].begin());
    }
    return out;
  }

 private:
  store::Connection& conn_;
};

}  // namespace quanze::app
