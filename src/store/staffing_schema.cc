// Schema of organisation and staffing (migration 3).
#include "store/migrations.h"

namespace quanze::store {

const std::string_view kStaffingSchema = R"SQL(
SELECT 1;
)SQL";

}  // namespace quanze::store
