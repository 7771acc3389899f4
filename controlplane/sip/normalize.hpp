// Canonical rendering of header values as Palisade reads them: the parsed structure written
// back without optional white space, addresses always in <>. This is what `sipcheck` shows,
// so that an operator sees the SBC's reading of a captured message, not its spelling.
#pragma once

#include <string>

#include "headers.hpp"
#include "message.hpp"

namespace palisade::sip {

std::string render(const NameAddr& na);
std::string render(const Via& via);
std::string render(const Params& params);  // ";name=value;flag"

// The value of a field of `m` in canonical form; fields Palisade does not interpret come back
// unfolded but otherwise as written.
std::string normalized_value(const HeaderField& field);

}  // namespace palisade::sip
