// `quanze demo --scale province`, at a size a test can afford (26 towns, 40 items each,
// 2,000 cases): progress and the summary on the terminal, a log that verifies, the
// generated towns, catalogues and cases served by the API, the same data on a second
// run, and --force. Runs on SQLite and (QUANZE_TEST_BACKEND=postgres) on PostgreSQL,
// where `demo` also creates the missing database itself.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "demo_fixture.h"
#include "harness.h"

namespace quanze::testing {
namespace {

using nlohmann::json;

constexpr const char* kNewTown = "990221101";  // the first town beyond the small demo's

// A database for one run: a SQLite file, or a PostgreSQL database that does not exist yet.
struct Target {
  std::string db;
  std::vector<std::string> env;
};

Target NewTarget(const TempDir& dir, const std::string& name) {
  Target t;
  if (OnPostgres()) {
    std::string db = UniqueDatabaseName("qz_prov");
    PgDatabasesToDrop::Add(PgAdminUrl(), db);
    t.db = PgUrlWithDatabase(PgAdminUrl(), db);
    t.env = {"QUANZE_LEDGER_KEY_FILE=" + dir.File(name + ".ledger-key"),
             "QUANZE_LEDGER_SECRET_FILE=" + dir.File(name + ".commit-secret")};
  } else {
    t.db = dir.File(name + ".db");
  }
  return t;
}

CommandResult Demo(const Target& t, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {QuanzeBinary(), "demo", "--db", t.db, "--scale", "province",
                                   "--towns", "26", "--items", "40", "--cases", "2000"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunCommand(argv, "", t.env, std::chrono::minutes(10));
}

// Entries in the log, from `quanze verify` ("OK: N entries ...").
long VerifiedEntries(const Target& t) {
  CommandResult r = RunCommand({QuanzeBinary(), "verify", "--db", t.db}, "", t.env, std::chrono::minutes(5));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto at = r.out.find("OK: ");
  if (at == std::string::npos) return -1;
  return std::stol(r.out.substr(at + 4));
}

// What the API shows of the generated province: towns, one town's catalogue, its cases.
struct Shown {
  std::vector<std::string> towns;
  std::vector<std::string> items;
  std::vector<std::string> cases;  // power, procedure, state, opened, closed
  std::size_t case_count = 0;
};

Shown Show(const Target& t) {
  CommandResult token = RunCommand({QuanzeBinary(), "user", "token", "admin", "--db", t.db}, "", t.env);
  EXPECT_EQ(token.exit_code, 0) << token.err;
  auto server = ServerProcess::Start({QuanzeBinary(), "serve", "--db", t.db, "--listen", "127.0.0.1:0"}, t.env);
  Shown s;
  HttpClient http(server->port());
  json towns = json::parse(http.Get("/api/v1/public/towns?limit=500").body);
  for (const auto& town : towns["items"]) s.towns.push_back(town["code"].get<std::string>());
  json catalogue = json::parse(http.Get(std::string("/api/v1/public/towns/") + kNewTown + "/catalogue").body);
  for (const auto& item : catalogue["items"]) s.items.push_back(item["code"].get<std::string>());
  std::string after;
  for (;;) {
    HttpResponse r = http.Get(std::string("/api/v1/cases?town=") + kNewTown + "&state=all&limit=100" +
                                  (after.empty() ? "" : "&cursor=" + after),
                              {{"Authorization", "Bearer " + LastLine(token.out)}});
    EXPECT_EQ(r.status, 200) << r.body;
    json page = json::parse(r.body);
    for (const auto& c : page["items"]) {
      s.cases.push_back(c["power_code"].get<std::string>() + " " + c["procedure"].get<std::string>() +
                        " " + c["state"].get<std::string>() + " " + c["opened_on"].get<std::string>() +
                        " " + (c["closed_on"].is_null() ? "" : c["closed_on"].get<std::string>()));
    }
    if (!page.contains("next_cursor") || page["next_cursor"].is_null() || page["items"].empty()) break;
    after = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>()
                                            : std::to_string(page["next_cursor"].get<long>());
  }
  s.case_count = s.cases.size();
  return s;
}

TEST(Province, TheProvinceDemoShowsProgressVerifiesIsServedAndIsTheSameTwice) {
  TempDir dir;
  Target first = NewTarget(dir, "first");
  CommandResult made = Demo(first);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  // Progress on stderr (not a terminal here: a line per phase and tenth), summary on stdout.
  for (const char* phase : {"staffing", "grants", "cases"}) {
    EXPECT_TRUE(Contains(made.err, std::string("  ") + phase + " ")) << made.err;
  }
  EXPECT_TRUE(Contains(made.err, "cases 2000/2000 (100%)")) << made.err;
  EXPECT_TRUE(Contains(made.out, "created " + first.db)) << made.out;
  EXPECT_TRUE(Contains(made.out, "database size: ")) << made.out;
  EXPECT_TRUE(Contains(made.out, "  cases: ")) << made.out;

  long entries = VerifiedEntries(first);
  EXPECT_GT(entries, 2000 * 2);  // at least an opening and a step per case, besides the rest

  Shown shown = Show(first);
  EXPECT_EQ(shown.towns.size(), 26u);
  EXPECT_NE(std::find(shown.towns.begin(), shown.towns.end(), kNewTown), shown.towns.end());
  EXPECT_EQ(shown.items.size(), 40u);
  // 2,000 cases over the 14 new towns: 142 or 143 in this one.
  EXPECT_GE(shown.case_count, 142u);
  EXPECT_LE(shown.case_count, 143u);
  std::size_t closed = 0;
  for (const std::string& c : shown.cases) closed += c.back() != ' ';
  EXPECT_GT(closed, shown.case_count / 2) << "most generated cases are closed";

  // Deterministic: a second database gets the same log size, towns, items and cases.
  Target second = NewTarget(dir, "second");
  CommandResult again = Demo(second);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(VerifiedEntries(second), entries);
  Shown shown2 = Show(second);
  EXPECT_EQ(shown2.towns, shown.towns);
  EXPECT_EQ(shown2.items, shown.items);
  EXPECT_EQ(shown2.cases, shown.cases);

  // An existing database is kept unless --force; --force starts over.
  CommandResult refused = Demo(first);
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--force")) << refused.err;
  CommandResult forced = Demo(first, {"--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(VerifiedEntries(first), entries);
}

TEST(Province, BadScaleOptionsAreRefusedWithExit2) {
  TempDir dir;
  Target t = NewTarget(dir, "bad");
  for (std::vector<std::string> extra : {std::vector<std::string>{"--scale", "country"},
                                         std::vector<std::string>{"--towns", "5"}}) {
    std::vector<std::string> argv = {QuanzeBinary(), "demo", "--db", t.db, "--scale", "province"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    CommandResult r = RunCommand(argv, "", t.env);
    EXPECT_EQ(r.exit_code, 2) << r.err;
  }
}

}  // namespace
}  // namespace quanze::testing
