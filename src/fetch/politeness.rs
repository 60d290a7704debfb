//! How often fetch may knock: a bound on requests in flight overall and per host, a delay
//! between the starts of two requests to one host (pushed further by a `Retry-After`), and a
//! budget of requests per run. A request holds a [`Permit`] while it runs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

pub(crate) struct Politeness {
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    per_host: usize,
    delay: Duration,
    used: AtomicUsize,
    max_requests: usize,
}

struct Host {
    slots: Arc<Semaphore>,
    /// The earliest start of the next request to this host.
    next: tokio::sync::Mutex<Instant>,
}

/// Held while a request runs.
pub(crate) struct Permit {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Politeness {
    pub(crate) fn new(
        concurrency: usize,
        per_host: usize,
        delay: Duration,
        max_requests: usize,
    ) -> Self {
        Politeness {
            global: Arc::new(Semaphore::new(concurrency)),
            hosts: Mutex::new(HashMap::new()),
            per_host,
            delay,
            used: AtomicUsize::new(0),
            max_requests,
        }
    }

    fn host(&self, host: &str) -> Arc<Host> {
        let mut hosts = self.hosts.lock().expect("host table lock");
        hosts
            .entry(host.to_string())
            .or_insert_with(|| {
                Arc::new(Host {
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    next: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Waits for a slot on `host` and overall and for the host's delay, then counts the
    /// request against the run's budget. `Err` when the budget is used up.
    pub(crate) async fn permit(&self, host: &str) -> Result<Permit, String> {
        let h = self.host(host);
        let host_permit = h.slots.clone().acquire_owned().await.expect("never closed");
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("never closed");
        {
            let mut next = h.next.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep_until(*next).await;
            }
            *next = Instant::now().max(*next) + self.delay;
        }
        if self.used.fetch_add(1, Ordering::SeqCst) >= self.max_requests {
            self.used.fetch_sub(1, Ordering::SeqCst);
            return Err(format!(
                "the run's budget of {} requests ([fetch] max_requests) is used up",
                self.max_requests
            ));
        }
        Ok(Permit {
            _host: host_permit,
            _global: global,
        })
    }

    /// The host asked us to come back later (`Retry-After`): no request to it before then.
    pub(crate) async fn defer(&self, host: &str, wait: Duration) {
        let h = self.host(host);
        let mut next = h.next.lock().await;
        *next = (*next).max(Instant::now() + wait);
    }

    /// Requests made so far.
    pub(crate) fn used(&self) -> usize {
        self.used.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn delay_spaces_requests_to_one_host_and_the_budget_runs_out() {
        let p = Politeness::new(4, 2, Duration::from_millis(200), 3);
        let start = Instant::now();
        drop(p.permit("a").await.unwrap());
        drop(p.permit("a").await.unwrap());
        // The second request to the host waited for the delay.
        assert!(start.elapsed() >= Duration::from_millis(200));
        drop(p.permit("b").await.unwrap());
        let e = p.permit("c").await.err().unwrap();
        assert!(e.contains("budget of 3 requests"), "{e}");
        assert_eq!(p.used(), 3);
    }
}
