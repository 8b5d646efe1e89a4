#!/usr/bin/python3
"""Sine WAV files for the media tests, and the dominant frequency of a recording.

    tone.py make WAV_PATH [--hz 440] [--seconds 6] [--rate 8000] [--amplitude 0.5]
    tone.py analyze WAV_PATH [--skip 0.5] [--max-seconds 2] [--expect HZ] [--tolerance 15]

`analyze` prints one JSON line {"dominant_hz", "rms", "seconds", "analyzed_seconds",
"sample_rate", "channels", "purity"} and exits 0, or 1 when --expect is given and the
dominant frequency is missing or further than --tolerance from it. `purity` is the share of
the analysed signal's energy at the dominant frequency (about 1.0 for a clean sine; G.711 and
Opus round trips keep it above 0.8). Silence (rms below --min-rms) has dominant_hz null.

Standard library only (wave, struct, math): the scan is a Goertzel filter bank from 100 to
3900 Hz in 5 Hz steps over a short window, then a 1 Hz refinement around the winner.
"""

import argparse
import json
import math
import struct
import sys
import wave

SCAN_LOW_HZ = 100
SCAN_HIGH_HZ = 3900
SCAN_STEP_HZ = 5
SCAN_WINDOW_SECONDS = 0.4


def make(path, hz, seconds, rate, amplitude):
    """Writes a 16-bit mono PCM sine WAV."""
    count = int(round(seconds * rate))
    peak = max(0.0, min(1.0, amplitude)) * 32767.0
    step = 2.0 * math.pi * hz / rate
    samples = [int(round(peak * math.sin(step * n))) for n in range(count)]
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack("<%dh" % count, *samples))


def read_wav(path):
    """Returns (sample_rate, channels, mono samples as floats).

    A tolerant RIFF reader rather than `wave`: recordings from libsndfile (baresip's sndfile)
    may be WAVE_FORMAT_EXTENSIBLE, and a recorder killed mid-call leaves a data size of 0 or
    0xFFFFFFFF; the data then runs to the end of the file.
    """
    with open(path, "rb") as handle:
        blob = handle.read()
    if len(blob) < 12 or blob[0:4] != b"RIFF" or blob[8:12] != b"WAVE":
        raise ValueError("%s is not a RIFF/WAVE file" % path)
    offset = 12
    fmt = None
    data = None
    while offset + 8 <= len(blob):
        chunk_id = blob[offset : offset + 4]
        (size,) = struct.unpack_from("<I", blob, offset + 4)
        body_start = offset + 8
        if chunk_id == b"fmt ":
            fmt = blob[body_start : body_start + size]
        elif chunk_id == b"data":
            end = body_start + size
            if size == 0 or end > len(blob):
                end = len(blob)
            data = blob[body_start:end]
            break
        offset = body_start + size + (size & 1)
    if fmt is None or len(fmt) < 16 or data is None:
        raise ValueError("%s has no fmt/data chunk" % path)
    format_tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", fmt, 0)
    if format_tag == 0xFFFE and len(fmt) >= 26:
        (format_tag,) = struct.unpack_from("<H", fmt, 24)  # SubFormat GUID starts with the tag
    if format_tag != 1 or bits != 16 or channels < 1:
        raise ValueError("%s: only 16-bit PCM is supported (tag %d, %d bits)" % (path, format_tag, bits))
    frame_bytes = 2 * channels
    frames = len(data) // frame_bytes
    raw = struct.unpack("<%dh" % (frames * channels), data[: frames * frame_bytes])
    if channels == 1:
        mono = [float(x) for x in raw]
    else:
        mono = [sum(raw[i : i + channels]) / channels for i in range(0, len(raw), channels)]
    return rate, channels, mono


def decimate(samples, rate):
    """Brings the rate down to at most 8 kHz by averaging blocks of samples.

    The block average is a crude low-pass (first null at the new rate), enough for tones
    below 3.9 kHz; it keeps the Goertzel scan cheap for 48 kHz recordings.
    """
    factor = max(1, int(rate // 8000))
    if factor == 1:
        return samples, rate
    out = [sum(samples[i : i + factor]) / factor for i in range(0, len(samples) - factor + 1, factor)]
    return out, rate / factor


def goertzel_power(samples, rate, hz):
    """|X(hz)|^2 of the samples (Goertzel)."""
    coeff = 2.0 * math.cos(2.0 * math.pi * hz / rate)
    s1 = 0.0
    s2 = 0.0
    for x in samples:
        s0 = x + coeff * s1 - s2
        s2 = s1
        s1 = s0
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def analyze(path, skip, max_seconds, min_rms):
    """The analysis of a WAV file (see analyze_samples), plus its channel count."""
    rate, channels, mono = read_wav(path)
    result = analyze_samples(mono, rate, skip, max_seconds, min_rms)
    result["channels"] = channels
    return result


def analyze_samples(mono, rate, skip=0.5, max_seconds=2.0, min_rms=100.0):
    """Dominant frequency, rms and purity of mono samples (any sequence of numbers)."""
    seconds = len(mono) / rate if rate else 0.0
    body = [float(x) for x in mono[int(skip * rate) :]]
    body, low_rate = decimate(body, rate)
    body = body[: int(max_seconds * low_rate)]
    result = {
        "dominant_hz": None,
        "rms": 0.0,
        "seconds": round(seconds, 3),
        "analyzed_seconds": round(len(body) / low_rate, 3) if low_rate else 0.0,
        "sample_rate": rate,
        "channels": 1,
        "purity": None,
    }
    if not body:
        return result
    mean = sum(body) / len(body)
    body = [x - mean for x in body]
    energy = sum(x * x for x in body)
    rms = math.sqrt(energy / len(body))
    result["rms"] = round(rms, 1)
    if rms < min_rms:
        return result

    # Coarse scan on a short window (bin width 2.5 Hz at 0.4 s), then refine on the whole window.
    window = body[: max(1, int(SCAN_WINDOW_SECONDS * low_rate))]
    best_hz, best_power = None, -1.0
    top = min(SCAN_HIGH_HZ, low_rate / 2 - SCAN_STEP_HZ)
    hz = SCAN_LOW_HZ
    while hz <= top:
        power = goertzel_power(window, low_rate, hz)
        if power > best_power:
            best_hz, best_power = hz, power
        hz += SCAN_STEP_HZ
    fine_hz, fine_power = best_hz, -1.0
    for candidate in range(int(best_hz) - SCAN_STEP_HZ, int(best_hz) + SCAN_STEP_HZ + 1):
        power = goertzel_power(body, low_rate, candidate)
        if power > fine_power:
            fine_hz, fine_power = candidate, power
    result["dominant_hz"] = float(fine_hz)
    # A sine of amplitude A over N samples: |X|^2 = (A N / 2)^2 and energy = A^2 N / 2.
    result["purity"] = round(min(1.0, 2.0 * fine_power / (len(body) * energy)), 3) if energy else None
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make_parser = commands.add_parser("make", help="write a 16-bit mono sine WAV")
    make_parser.add_argument("path")
    make_parser.add_argument("--hz", type=float, default=440.0)
    make_parser.add_argument("--seconds", type=float, default=6.0)
    make_parser.add_argument("--rate", type=int, default=8000)
    make_parser.add_argument("--amplitude", type=float, default=0.5, help="peak, 0..1 of full scale")
    analyze_parser = commands.add_parser("analyze", help="print the dominant frequency of a WAV as JSON")
    analyze_parser.add_argument("path")
    analyze_parser.add_argument("--skip", type=float, default=0.5, help="seconds to ignore at the start")
    analyze_parser.add_argument("--max-seconds", type=float, default=2.0, help="seconds analysed after --skip")
    analyze_parser.add_argument("--min-rms", type=float, default=100.0, help="below this the audio is silence")
    analyze_parser.add_argument("--expect", type=float, help="exit 1 unless the dominant frequency is this")
    analyze_parser.add_argument("--tolerance", type=float, default=15.0)
    args = parser.parse_args(argv)

    if args.command == "make":
        make(args.path, args.hz, args.seconds, args.rate, args.amplitude)
        return 0
    try:
        result = analyze(args.path, args.skip, args.max_seconds, args.min_rms)
    except (OSError, ValueError, struct.error) as error:
        print(json.dumps({"dominant_hz": None, "rms": 0.0, "seconds": 0.0, "error": str(error)}))
        return 1
    print(json.dumps(result))
    if args.expect is not None:
        found = result["dominant_hz"]
        return 0 if found is not None and abs(found - args.expect) <= args.tolerance else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
