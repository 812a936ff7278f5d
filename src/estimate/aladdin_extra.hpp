// Registration of Aladdin_table's FIFO, fpadder and fpmultiplier (aladdin_extra.cpp).
#pragma once

#include "loopsim/estimate/estimator.hpp"

namespace loopsim::estimate {

// Adds the Aladdin_table estimator of these classes (40/45 nm) and its loopsim_scaled
// counterpart (5-180 nm).
void add_aladdin_extra(Registry& r);

}  // namespace loopsim::estimate
