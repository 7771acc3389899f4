// The Prometheus families Palisade exposes, built from one mgmt::Status snapshot: the same
// numbers the ACLI's show commands print, named by Prometheus conventions (palisade_ prefix,
// base units, _total on counters, labels with bounded values: methods from a fixed set, realms,
// agents and ports from the configuration). docs/metrics.md lists them.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "mgmt/status.hpp"

namespace palisade::metrics {

std::vector<prometheus::MetricFamily> families(const mgmt::Status& s);

// The text exposition format of `families` (what /metrics serves).
std::string text(const std::vector<prometheus::MetricFamily>& families);

}  // namespace palisade::metrics
