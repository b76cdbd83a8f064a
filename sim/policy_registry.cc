#include <cassert>
#include <map>

#include "sim/invariant.h"
#include "sim/sampler.h"

namespace samplersim {

namespace {
// Function-local static: safe to use from other translation units' static initializers.
std::map<std::string, PolicyInfo>& registry() {
  static std::map<std::string, PolicyInfo> policies;
  return policies;
}
}  // namespace

bool PolicyRegistry::add(PolicyInfo info) {
  SIM_ASSERT((info.make || info.make_driver) && !info.name.empty());
  const bool inserted = registry().emplace(info.name, std::move(info)).second;
  SIM_ASSERT(inserted && "policy registered twice");
  return inserted;
}

const PolicyInfo* PolicyRegistry::find(const std::string& name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<const PolicyInfo*> PolicyRegistry::all() {
  std::vector<const PolicyInfo*> out;
  for (const auto& [name, info] : registry()) out.push_back(&info);
  return out;
}

std::vector<std::string> PolicyRegistry::names() {
  std::vector<std::string> out;
  for (const auto& [name, info] : registry()) out.push_back(name);
  return out;
}

}  // namespace samplersim
