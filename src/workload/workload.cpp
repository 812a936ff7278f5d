#include "loopsim/workload/workload.hpp"

namespace loopsim {

Workload Workload::default_cnn_shape() {
  Workload w;
  w.shape_name = "CNN_Layer";
  w.dims = {"C", "M", "R", "S", "N", "P", "Q"};
  w.bounds.assign(w.dims.size(), 1);
  w.coeff_names = {"Wstride", "Hstride", "Wdilation", "Hdilation"};
  w.coeff_values = {1, 1, 1, 1};
  enum { C, M, R, S, N, P, Q };
  enum { Wstride, Hstride, Wdilation, Hdilation };
  w.data_spaces.push_back({"Weights", {{{C, -1}}, {{M, -1}}, {{R, -1}}, {{S, -1}}}, false});
  w.data_spaces.push_back({"Inputs",
                           {{{N, -1}},
                            {{C, -1}},
                            {{R, Wdilation}, {P, Wstride}},
                            {{S, Hdilation}, {Q, Hstride}}},
                           false});
  w.data_spaces.push_back({"Outputs", {{{N, -1}}, {{M, -1}}, {{Q, -1}}, {{P, -1}}}, true});
  return w;
}

static int find(const std::vector<std::string>& v, const std::string& name) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] == name) return static_cast<int>(i);
  return -1;
}

int Workload::dim_index(const std::string& name) const { return find(dims, name); }
int Workload::coeff_index(const std::string& name) const { return find(coeff_names, name); }
int Workload::data_space_index(const std::string& name) const {
  for (std::size_t i = 0; i < data_spaces.size(); ++i)
    if (data_spaces[i].name == name) return static_cast<int>(i);
  return -1;
}

std::int64_t Workload::operations() const {
  std::int64_t p = 1;
  for (auto b : bounds) p *= b;
  return p;
}

std::int64_t Workload::tensor_size(int ds) const { return box_size(ds, bounds.data()); }

std::int64_t Workload::box_size(int ds, const std::int64_t* extent) const {
  std::int64_t size = 1;
  for (const auto& rank : data_spaces[ds].projection) {
    std::int64_t lo = 0, hi = 0;
    for (const auto& t : rank) {
      std::int64_t c = coefficient(t.coeff);
      std::int64_t reach = (extent[t.dim] - 1) * c;
      if (c < 0) lo += reach; else hi += reach;
    }
    size *= (hi - lo + 1);
  }
  return size;
}

}  // namespace loopsim
