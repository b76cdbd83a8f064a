// The benchmarks' scenario: a grid of integer axes (values 0 .. side-1) searched by single-threaded
// processes with the latency store (request and response 1–5 ms each) and a 50–250 ms objective,
// the shape of the scale targets in issues 9 and 15. Header-only; benchmarks only.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "sim/scenario_spec.h"

namespace samplersim::bench {

// `axes`: (name, number of values) per grid parameter, in order. `policy`: the one compared policy.
inline ScenarioSpec integer_grid_spec(const std::string& name, std::initializer_list<std::pair<const char*, int>> axes,
                                      int processes, const std::string& policy) {
  ScenarioSpec spec;
  spec.name = name;
  for (const auto& [axis, side] : axes) {
    GridParam p;
    p.name = axis;
    for (int v = 0; v < side; ++v) {
      GridValue gv;
      gv.int_value = v;
      p.values.push_back(gv);
    }
    spec.grid.push_back(p);
  }
  spec.processes = processes;
  spec.objective_duration = DurationDist::uniform(50 * kMicrosPerMilli, 250 * kMicrosPerMilli);
  spec.request_latency = DurationDist::uniform(1 * kMicrosPerMilli, 5 * kMicrosPerMilli);
  spec.response_latency = DurationDist::uniform(1 * kMicrosPerMilli, 5 * kMicrosPerMilli);
  spec.policies = {policy};
  return spec;
}

}  // namespace samplersim::bench
