// Importing a staffing register (quanze import staffing): validate the whole
// file and check it against the database first (nothing is written when any
// row is bad), then write every town in one unit of work. Legacy data that
// breaks the rules is kept as it is; the scan reports it.
#include <map>
#include <span>

#include "app/staffing.h"
#include "app/staffing_internal.h"
#include "domain/staffing_io.h"
#include "ledger/hash.h"

namespace quanze::app {

using nlohmann::json;
using namespace staffing;  // NOLINT: this file is the staffing service

Result<domain::StaffingRegister> StaffingService::PrepareImport(
    std::string_view text, std::string_view format, const StaffingImportOptions& options) {
  if (format != "csv" && format != "json") {
    return MakeError(ErrorCode::kBadRequest, "导入格式应为 json 或 csv",
                     "the format must be json or csv");
  }
  Result<domain::StaffingRegister> parsed = format == "csv"
                                                ? domain::ParseRegisterCsv(text, settings_)
                                                : domain::ParseRegisterJson(text, settings_);
  if (!parsed.ok()) return parsed.take_error();
  domain::StaffingRegister reg = std::move(parsed).value();
  std::vector<domain::InputProblem> problems;
  QZ_TRY(db_.WithReader([&](store::Connection& c) -> Status {
    for (const domain::RegisterTown& t : reg.towns) {
      const std::string& code = t.staffing.town_code;
      QZ_ASSIGN_OR_RETURN(auto region, store::GetRegion(c, code));
      if (!region || region->level != "town") {
        problems.push_back({0, t.where, "town_code", "区划“" + code + "”不存在或不是镇",
                            "region '" + code + "' does not exist or is not a town"});
        continue;
      }
      QZ_ASSIGN_OR_RETURN(std::int64_t existing, store::CountStaffingAgenciesOfTown(c, code));
      if (existing > 0 && !options.replace) {
        problems.push_back({0, t.where, "town_code",
                            region->name + "已有机构编制台账（" + std::to_string(existing) +
                                " 个机构）；如需整体替换请加 --replace",
                            "town " + code + " already has a register (" +
                                std::to_string(existing) +
                                " agencies); use --replace to replace it"});
      }
    }
    return Ok();
  }));
  if (!problems.empty()) return domain::ProblemsError(problems);
  return reg;
}

Result<json> StaffingService::ImportInTx(Tx& tx, const Actor& actor,
                                         const domain::StaffingRegister& reg,
                                         const StaffingImportOptions& options) const {
  store::Connection& c = tx.conn();
  QZ_ASSIGN_OR_RETURN(std::int64_t next_agency, store::NextStaffingId(c, "agencies"));
  QZ_ASSIGN_OR_RETURN(std::int64_t next_person, store::NextStaffingId(c, "people"));
  QZ_ASSIGN_OR_RETURN(std::int64_t next_change, store::NextStaffingId(c, "changes"));
  json replaced = json::array();
  json changes = json::array();
  std::int64_t persons_done = 0;
  int towns_done = 0;
  for (const domain::RegisterTown& t : reg.towns) {
    const std::string& code = t.staffing.town_code;
    QZ_ASSIGN_OR_RETURN(store::RegionRecord town, RequireTown(c, code));
    QZ_ASSIGN_OR_RETURN(std::int64_t existing, store::CountStaffingAgenciesOfTown(c, code));
    if (existing > 0) {
      if (!options.replace) {
        return MakeError(ErrorCode::kConflict, town.name + "已有机构编制台账",
                         "town " + code + " already has a register");
      }
      QZ_TRY(store::SupersedeTownStaffing(c, code, tx.now_seconds()));
      replaced.push_back(code);
    }
    // The file's references become database ids.
    std::map<domain::Id, domain::Id> agency_ids;
    domain::TownStaffing mapped;
    mapped.town_code = code;
    for (const domain::Agency& a : t.staffing.agencies) {
      domain::Agency copy = a;
      copy.id = next_agency++;
      copy.town_code = code;
      agency_ids[a.id] = copy.id;
      mapped.agencies.push_back(std::move(copy));
    }
    for (domain::Quota q : t.staffing.quotas) {
      q.agency_id = agency_ids.at(q.agency_id);
      mapped.quotas.push_back(std::move(q));
    }
    for (domain::LeadershipQuota q : t.staffing.leadership_quotas) {
      q.agency_id = agency_ids.at(q.agency_id);
      mapped.leadership_quotas.push_back(q);
    }
    json digest_people = json::array();
    for (domain::Person p : t.staffing.persons) {
      p.id = next_person++;
      p.agency_id = agency_ids.at(p.agency_id);
      json rec = {{"id", p.id},       {"agency_id", p.agency_id},
                  {"name", p.name},   {"grade", std::string(domain::GradeCode(p.grade))},
                  {"title", p.title}, {"quota_kind", p.quota_kind}};
      if (!p.id_number.empty())
        rec["id_number_commitment"] = tx.Commitment("id_number", p.id_number);
      digest_people.push_back(std::move(rec));
      mapped.persons.push_back(std::move(p));
    }
    domain::TownStaffing empty;
    empty.town_code = code;
    QZ_TRY(PersistDiff(tx, empty, mapped, RemovedAgencies{}));
    json baseline = json::object();
    if (t.has_baseline) {
      QZ_TRY(store::DeleteStaffingBaselines(c, code));
      for (const domain::QuotaTotal& b : t.staffing.baseline.totals) {
        QZ_TRY(store::PutStaffingBaseline(
            c, {code, b.kind, b.count, "导入台账 / imported register " + options.source,
                tx.now_seconds()}));
        baseline[b.kind] = b.count;
      }
    }
    json digest_agencies = json::array();
    for (const domain::Agency& a : mapped.agencies) {
      store::StaffingAgencyRecord r = ToRecord(a);
      digest_agencies.push_back({{"id", r.id},
                                 {"name", r.name},
                                 {"kind", r.kind},
                                 {"rank", r.rank},
                                 {"nameplates", r.nameplates},
                                 {"approval_doc", r.approval_doc}});
    }
    json quotas = json::array();
    for (const domain::Quota& q : mapped.quotas) quotas.push_back({q.agency_id, q.kind, q.count});
    const std::string canonical =
        json{{"agencies", digest_agencies}, {"quotas", quotas}, {"persons", digest_people}}.dump();
    const ledger::Hash digest = ledger::ThreadLocalHasher().Sha256(canonical);
    const std::int64_t change_id = next_change++;
    json data = {{"change_id", change_id},
                 {"town", code},
                 {"source", options.source},
                 {"agencies", mapped.agencies.size()},
                 {"persons", mapped.persons.size()},
                 {"quotas", mapped.quotas.size()},
                 {"leadership_quotas", mapped.leadership_quotas.size()},
                 {"baseline", baseline},
                 {"replaced", existing > 0},
                 {"records_sha256", ledger::HexEncode(std::span<const std::uint8_t>(digest))}};
    QZ_ASSIGN_OR_RETURN(Receipt receipt,
                        tx.Append(Event{"staffing.register_imported", actor, "town", code, data}));
    store::StaffingChangeRecord rec;
    rec.id = change_id;
    rec.town_code = code;
    rec.type = "import_register";
    rec.request = data.dump();
    rec.state = "imported";
    rec.ledger_index = receipt.index;
    QZ_TRY(store::InsertStaffingChange(c, rec, tx.now_seconds()));
    changes.push_back(change_id);
    persons_done += static_cast<std::int64_t>(mapped.persons.size());
    ++towns_done;
    if (options.progress) {
      options.progress(code, towns_done, static_cast<int>(reg.towns.size()), persons_done);
    }
  }
  return json{{"towns", towns_done},
              {"agencies", reg.agencies},
              {"persons", persons_done},
              {"replaced_towns", replaced},
              {"change_ids", changes}};
}

Result<Committed> StaffingService::Import(const Actor& actor, const domain::StaffingRegister& reg,
                                          const StaffingImportOptions& options) {
  return writer_.Run([&](Tx& tx) -> Result<json> { return ImportInTx(tx, actor, reg, options); });
}

}  // namespace quanze::app
