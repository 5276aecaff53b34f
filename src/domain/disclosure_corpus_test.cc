// The masking corpus (testdata/disclosure): 286 planted ID, mobile, landline,
// bank-card numbers, e-mail addresses and names in sentences of published
// decisions, written in every way gen_masking_corpus.py knows, must all be
// masked to no more than the policy of disclosure.h keeps (0 misses); the
// sentences of masking_keep.txt must come out unchanged.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "domain/disclosure.h"
#include "domain/disclosure_internal.h"

namespace quanze::domain {
namespace {

namespace di = disclosure_internal;

std::vector<std::string> Lines(const std::string& name) {
  const char* root = std::getenv("QUANZE_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/src/domain/testdata/disclosure/" + name);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) out.push_back(cell);
  return out;
}

// As the generator compares: full width folded, ASCII lower-cased, spaces,
// dashes, dots, brackets and zero-width characters dropped.
std::string Squeeze(std::string_view s) {
  std::string out;
  for (const di::Char& ch : di::NormalisedChars(s)) {
    if (di::IsSeparator(ch.c)) continue;
    if (ch.c < 0x80) {
      out += static_cast<char>(ch.c);
    } else {
      out.append(s.substr(ch.begin, ch.end - ch.begin));
    }
  }
  return out;
}

// The longest run of a planted value the policy lets through, in characters.
const std::map<std::string, std::size_t> kKept = {{"id", 3},   {"mobile", 4}, {"landline", 4},
                                                  {"card", 4}, {"email", 2},  {"name", 1}};

// The first window of `value` one longer than `kept` that is still in `out`.
std::string Leak(const std::string& value, std::size_t kept, const std::string& out) {
  const std::vector<di::Char> chars = di::NormalisedChars(value);
  for (std::size_t i = 0; i + kept < chars.size(); ++i) {
    const std::string window = value.substr(chars[i].begin, chars[i + kept].end - chars[i].begin);
    if (out.find(window) != std::string::npos) return window;
  }
  return {};
}

TEST(DisclosureCorpus, EveryPlantedValueIsMaskedToThePolicy) {
  const std::vector<std::string> lines = Lines("masking_corpus.tsv");
  ASSERT_GE(lines.size(), 200u) << "corpus missing (QUANZE_SOURCE_DIR?)";
  std::map<std::string, int> planted, misses;
  for (const std::string& line : lines) {
    const std::vector<std::string> cells = Split(line);
    ASSERT_EQ(cells.size(), 4u) << line;
    const std::string &kind = cells[0], &text = cells[3];
    std::string value = Squeeze(cells[1]);
    std::vector<std::string> secrets;
    if (cells[2] == "1") secrets.push_back(cells[1]);
    const std::string masked = MaskPublicText(text, secrets);
    std::string kept = masked;
    if (kind == "mobile" || kind == "landline") {  // the country prefix stays as written
      for (std::string_view prefix : {"+86", "0086", "86-"}) {
        for (std::size_t p; (p = kept.find(prefix)) != std::string::npos;)
          kept.erase(p, prefix.size());
      }
    }
    std::string out = Squeeze(kept);
    if (kind == "email") {  // the domain is kept; the mailbox is what must not leak
      const std::size_t at = value.find('@');
      const std::string domain = value.substr(at + 1);
      for (std::size_t p; (p = out.find(domain)) != std::string::npos;) out.erase(p, domain.size());
      value = value.substr(0, at);
    }
    ++planted[kind];
    const std::string leak = Leak(value, kKept.at(kind), out);
    if (!leak.empty() || masked.find('*') == std::string::npos) {
      ++misses[kind];
      ADD_FAILURE() << kind << " " << cells[1] << " leaks \"" << leak << "\"\n  in:  " << text
                    << "\n  out: " << masked;
    }
  }
  EXPECT_EQ(planted.size(), kKept.size());
  EXPECT_TRUE(misses.empty());
}

TEST(DisclosureCorpus, SentencesWithoutPersonalDataAreLeftAlone) {
  const std::vector<std::string> lines = Lines("masking_keep.txt");
  ASSERT_GE(lines.size(), 40u);
  for (const std::string& line : lines) EXPECT_EQ(MaskPublicText(line, {}), line);
}

}  // namespace
}  // namespace quanze::domain
