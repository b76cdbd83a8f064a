// The trial system attributes Optuna's GridSampler reads and writes (reference
// shared/reference/optuna-grid-behaviour.md, sections 1.4 and 2). Keys are string literals, so they
// outlive any trace that records them.
#pragma once

#include <cstdint>

namespace samplersim {

inline constexpr const char* kGridIdAttr = "grid_id";            // index into `_all_grids`
inline constexpr const char* kSearchSpaceAttr = "search_space";  // written just before grid_id
inline constexpr const char* kFixedParamsAttr = "fixed_params";  // enqueued trials carry it
// Every worker of a run shares one search space, so the stored `search_space` is one token.
inline constexpr std::int64_t kSearchSpaceToken = 1;

}  // namespace samplersim
