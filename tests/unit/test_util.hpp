// Helpers shared by the unit tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace loopsim::testing {

// Writes `text` to a file named `name` in a folder of this process and test (ctest runs the
// tests in parallel processes, which must not share files) and returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("loopsim_test_" + std::to_string(::getpid())) / test;
  std::filesystem::create_directories(dir);
  std::filesystem::path p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

// The start of a v0.4 architecture: the system container at 45 nm and an LPDDR4 DRAM with
// 8-bit words `dram_width` bits wide; the random test hierarchies continue it.
inline std::string arch_with_dram(int dram_width = 8) {
  return "architecture:\n  version: 0.4\n  nodes:\n  - !Container\n    name: system\n"
         "    attributes: {technology: \"45nm\"}\n  - !Component\n    name: DRAM\n"
         "    class: DRAM\n    attributes: {type: \"LPDDR4\", width: " +
         std::to_string(dram_width) + ", datawidth: 8}\n";
}

}  // namespace loopsim::testing
