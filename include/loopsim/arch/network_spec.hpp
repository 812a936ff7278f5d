// Network kinds and classes (the specs, NetworkSpec, are in arch_spec.hpp; docs/cost-model.md
// §9).
#pragma once

#include <string>

namespace loopsim {

enum class NetworkKind { Legacy, SimpleMulticast };

// Network classes (timeloopfe's NETWORK_CLASSES), matched as a part of the class name.
bool is_network_class(const std::string& cls);

}  // namespace loopsim
