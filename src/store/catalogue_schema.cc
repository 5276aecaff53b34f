// Schema of the power catalogue and devolution (migration 2).
#include "store/migrations.h"

namespace quanze::store {

const std::string_view kCatalogueSchema = R"SQL(
SELECT 1;
)SQL";

}  // namespace quanze::store
