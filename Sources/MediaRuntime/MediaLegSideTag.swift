import MediaSession

/// Which leg a socket serves (a wrapper so the handler stays independent of the engine's enum).
struct MediaLegSideTag: Sendable {
    let side: MediaLegSide
}
