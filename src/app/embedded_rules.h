// The rule data files built into the binary (data/procedures/*.json,
// data/holidays/cn-*.json, data/discretion/*.json), generated at build time
// by embed_files.cmake from the files in the repository.
#pragma once

#include <cstddef>
#include <string_view>

namespace quanze::app {

struct EmbeddedFile {
  std::string_view path;   // relative to the repository, e.g. "data/procedures/licensing.json"
  std::string_view bytes;  // the file's exact content
};

extern const EmbeddedFile kEmbeddedRuleFiles[];
extern const std::size_t kEmbeddedRuleFileCount;

}  // namespace quanze::app
