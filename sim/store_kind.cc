#include "sim/store_kind.h"

#include <array>

namespace samplersim {

namespace {
constexpr std::array<std::string_view, kStoreKindCount> kKindNames{"legacy", "sqlite", "inmemory", "journal-file",
                                                                    "postgresql"};
}  // namespace

std::string_view to_string(StoreKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<StoreKind> store_kind_from_string(std::string_view name) {
  for (int i = 1; i < kStoreKindCount; ++i) {
    if (kKindNames[static_cast<std::size_t>(i)] == name) return static_cast<StoreKind>(i);
  }
  return std::nullopt;
}

}  // namespace samplersim
