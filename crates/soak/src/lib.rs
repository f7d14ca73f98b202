//! What the soak's binaries share: the process's memory as Linux reports it.

/// A field of `/proc/self/status` in kB (`VmRSS` now, `VmHWM` the peak); `None` off Linux.
pub fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| {
        line.strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The process's resident memory now, in kB.
pub fn resident_kb() -> Option<u64> {
    status_kb("VmRSS")
}
