// Private to arch/: attaching network specs to the flattened levels (networks.cpp).
#pragma once

#include <cmath>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"

namespace loopsim {

// A network component as written, with the attributes it inherits.
struct NetworkComponent {
  HierarchyNode node;
  Attributes attributes;  // merged with the containers' attributes
  std::int64_t instances = 1;
};

void attach_networks(ArchSpec& spec, const std::vector<NetworkComponent>& comps,
                     const Variables& vars);

}  // namespace loopsim
