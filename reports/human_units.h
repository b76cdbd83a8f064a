// Durations and counts in the units a person reads: "487 ms", "35.6 s", "12.4 min", "9.90 h".
//
// format_duration_s picks the largest unit in which the value is at least 1 (µs, ms, s, min, h)
// and prints three significant digits ("0 s" for zero; negative values keep their sign). Units are
// ASCII except µs, written "us" so terminals and chart labels stay plain. Pure functions.
#pragma once

#include <string>

namespace samplersim {

// Seconds -> "487 ms", "35.6 s", "12.4 min", "9.90 h".
std::string format_duration_s(double seconds);

// The same for integer microseconds.
std::string format_duration_us(long long micros);

// A mean count with two decimals, without trailing zeros beyond one ("3.29", "0", "12.5"); a
// non-zero mean that would round to 0 keeps two significant digits ("0.005", "0.0012"), so "0"
// only ever means none.
std::string format_count(double value);

}  // namespace samplersim
