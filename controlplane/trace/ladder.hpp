// Text views of traced calls for the ACLI: the list of calls kept, and one call as a ladder
// diagram with a column per party (the peers and each side of the SBC) and an arrow per message
// labelled with its method or status, timed from the call's first message. Pure.
#pragma once

#include <string>
#include <vector>

#include "trace/call_trace.hpp"

namespace palisade::trace {

// `show sipd call-flow`: one line per call kept, oldest first.
std::string call_list(const std::vector<const TracedCall*>& calls, std::size_t capacity);

// `show sipd call-flow N`: the call's legs, then the diagram. Columns: peers of the caller's
// realm on the left, the SBC's sides in the middle, the other peers on the right, each in the
// order it first appears. Up to five columns fit 80 characters.
std::string ladder(const TracedCall& call);

}  // namespace palisade::trace
