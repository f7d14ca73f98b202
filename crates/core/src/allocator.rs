//! Keeps the memory of a long-running process (the app, which runs identification after
//! identification; the emulator, which can serve for days) flat under glibc's allocator.
//!
//! glibc serves a large block (a camera frame, a decoded photo) from a mapping of its own and
//! returns it on free, until such a free raises its "dynamic mmap threshold": from then on,
//! blocks up to 32 MB come from the heap arenas, which fragment and seldom shrink, and a busy
//! process has up to eight arenas per core. The chaos soak (`scripts/soak.sh`) saw the resident
//! memory double over 500 identifications that way (198 MB after 50, 405 MB after 500). A fixed
//! threshold and two arenas keep it flat: figures in `docs/RELIABILITY.md`. The emulator, its
//! state bounded, still grew 11 % in steps over 30,000 requests without them.

/// Above this, blocks get a mapping of their own, returned to the system on free.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Arenas the allocator may create, whatever the number of threads.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;

/// Fixes glibc's allocator settings for a long-running process. Call it first thing in
/// `main`, before any thread starts. Elsewhere (other C libraries, other systems) it does
/// nothing.
pub fn keep_memory_flat() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets allocator parameters; called before other threads exist, it
    // races with no allocation. A refused setting (return 0) leaves glibc's default.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}
