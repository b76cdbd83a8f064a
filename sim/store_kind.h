// StoreKind: which storage a scenario's store is (`[store] kind`), as plain data.
//
// kLegacy is the latency model of [store] request/response latency and write_service (no CPU, no
// GIL); the others are presets with calibrated costs and rules (sim/store_preset.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace samplersim {

enum class StoreKind : std::uint8_t {
  kLegacy = 0,
  kSqlite = 1,
  kInMemory = 2,
  kJournalFile = 3,
  kPostgresql = 4,
};
inline constexpr int kStoreKindCount = 5;

// "legacy", "sqlite", "inmemory", "journal-file", "postgresql".
std::string_view to_string(StoreKind kind);
// A preset's name (not "legacy").
std::optional<StoreKind> store_kind_from_string(std::string_view name);
// InMemoryStorage and JournalStorage are not wrapped in _CachedStorage (optuna.storages.get_storage
// wraps RDBStorage only): Optuna 2.x–3.1 read them fresh on every call.
constexpr bool caches_reads(StoreKind kind) {
  return kind == StoreKind::kLegacy || kind == StoreKind::kSqlite || kind == StoreKind::kPostgresql;
}

}  // namespace samplersim
