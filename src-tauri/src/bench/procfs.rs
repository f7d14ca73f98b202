//! This process's and its WebKit children's CPU time and resident memory, from `/proc` (Linux
//! only; zero elsewhere).

/// CPU time in nanoseconds: the app's process, and its WebKit processes together.
#[derive(Default, Clone, Copy)]
pub struct ProcessTimes {
    pub app_ns: u64,
    pub web_ns: u64,
}

/// CPU time of this process and of its WebKit children, from `/proc/*/schedstat` (Linux only;
/// zero elsewhere).
pub fn process_times() -> ProcessTimes {
    let cpu_ns = |pid: u32| -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    ProcessTimes {
        app_ns: cpu_ns(std::process::id()),
        web_ns: webkit_children().into_iter().map(cpu_ns).sum(),
    }
}

/// Resident memory in KB of this process and of its WebKit children together.
pub fn resident_kb() -> (u64, u64) {
    let rss = |pid: u32| field_kb(&format!("/proc/{pid}/status"), "VmRSS:");
    (
        rss(std::process::id()),
        webkit_children().into_iter().map(rss).sum(),
    )
}

/// Proportional memory in KB (each shared page divided among the processes that map it) of
/// this process and its WebKit children together: their resident memory summed counts the
/// libraries they share once per process.
pub fn proportional_kb() -> u64 {
    let pss = |pid: u32| field_kb(&format!("/proc/{pid}/smaps_rollup"), "Pss:");
    pss(std::process::id()) + webkit_children().into_iter().map(pss).sum::<u64>()
}

/// A `Name:   123 kB` line's number in a `/proc` file.
fn field_kb(path: &str, name: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with(name))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn webkit_children() -> Vec<u32> {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // "pid (comm) state ppid …": the name may hold spaces, so split after the ')'.
            let Some((name, rest)) = stat.split_once(") ") else {
                return false;
            };
            let parent = rest
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u32>().ok());
            parent == Some(me) && name.contains("WebKit")
        })
        .collect()
}
