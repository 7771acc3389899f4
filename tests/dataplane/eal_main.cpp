// The data-plane tests share one EAL (DPDK starts once per process), without hugepages.
#include <gtest/gtest.h>

#include "dpdk_plane.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::string error;
  if (!palisade::dataplane::start_eal(palisade::dataplane::default_eal_args(0, 0, 256), error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  return RUN_ALL_TESTS();
}
