//! The password-hashing pool (issue 16): every argon2id hash and
//! verification of the portal runs here, on as many worker threads as the
//! machine has cores, each reusing its own argon2 memory.
//!
//! Why not `spawn_blocking`: each hash allocates `argon2_memory_kib` (19 MiB
//! by default) on whichever of tokio's up to 512 blocking threads runs it,
//! and glibc's allocator keeps those blocks per thread: a burst of logins left
//! the process at gigabytes, and the number of hashes running at once, so the
//! memory, had no bound. Here at most `workers` hashes run at once, in memory
//! allocated once per worker, and at most [`QUEUED_PER_WORKER`] × `workers`
//! wait; past that the caller is told at once that the portal is busy
//! ([`Busy`], answered `503` with `Retry-After`), which is kinder than a
//! queue that grows until every request times out.

use crate::backend::secrets::{HashError, Memory, Passwords};
use crate::backend::telemetry;
use crate::domain::password::Password;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Hashes that may wait per worker before callers are turned away: about
/// one second of logins at the default cost (≈ 22 ms a hash).
pub const QUEUED_PER_WORKER: usize = 48;

/// The pool is full (or stopped): try again in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the password-hashing queue is full")]
pub struct Busy;

type Job = Box<dyn FnOnce(&Passwords, &mut Memory) + Send>;

/// argon2id for the whole portal, on a bounded pool. Cloning shares it; the
/// workers stop when the last clone is dropped.
#[derive(Clone)]
pub struct PasswordPool {
    jobs: SyncSender<Job>,
}

impl PasswordPool {
    /// Starts `workers` threads (at least one) for `passwords`.
    pub fn start(passwords: Passwords, workers: usize) -> Result<PasswordPool, HashError> {
        let workers = workers.max(1);
        let (jobs, queue) = mpsc::sync_channel::<Job>(workers * QUEUED_PER_WORKER);
        let queue = Arc::new(Mutex::new(queue));
        let passwords = Arc::new(passwords);
        for index in 0..workers {
            let queue = Arc::clone(&queue);
            let passwords = Arc::clone(&passwords);
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || work(&queue, &passwords))
                .map_err(|e| HashError::new(format!("starting a hashing worker: {e}")))?;
        }
        Ok(PasswordPool { jobs })
    }

    /// One worker per core, as the machine reports them.
    pub fn start_per_core(passwords: Passwords) -> Result<PasswordPool, HashError> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        PasswordPool::start(passwords, cores)
    }

    /// Runs `job` on a worker and waits for its answer; [`Busy`] at once
    /// when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Passwords, &mut Memory) -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (answer, answered) = oneshot::channel();
        // Counted from here until the job is dropped: run, panicked, or
        // refused below.
        let in_pool = telemetry::hash_queued();
        let job: Job = Box::new(move |passwords, memory| {
            let _in_pool = in_pool;
            let _ = answer.send(job(passwords, memory));
        });
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) | TrySendError::Disconnected(_) => {
                telemetry::hash_refused();
                Busy
            }
        })?;
        // A job that panicked dropped its answer: its caller is told Busy,
        // and the worker goes on with the next job.
        answered.await.map_err(|_| Busy)
    }

    /// The PHC string of `password`.
    pub async fn hash(&self, password: Password) -> Result<Result<String, HashError>, Busy> {
        self.run(move |passwords, memory| passwords.hash(memory, &password))
            .await
    }

    /// Whether `password` matches `stored` (see [`Passwords::verify`]).
    pub async fn verify(&self, password: Password, stored: Option<String>) -> Result<bool, Busy> {
        self.run(move |passwords, memory| passwords.verify(memory, &password, stored.as_deref()))
            .await
    }
}

/// A worker: takes jobs until every sender is gone.
fn work(queue: &Mutex<mpsc::Receiver<Job>>, passwords: &Passwords) {
    let mut memory = Memory::default();
    loop {
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else { return };
        let _ = catch_unwind(AssertUnwindSafe(|| job(passwords, &mut memory)));
    }
}

impl std::fmt::Debug for PasswordPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordPool(argon2id)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::settings::SecuritySettings;

    fn passwords() -> Passwords {
        let cheap = SecuritySettings {
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            ..Default::default()
        };
        Passwords::new(&cheap).unwrap()
    }

    fn typed(text: &str) -> Password {
        Password::typed(text).unwrap()
    }

    #[tokio::test]
    async fn the_pool_hashes_and_verifies() {
        let pool = PasswordPool::start(passwords(), 2).unwrap();
        let hash = pool.hash(typed("Abcdefgh1!xy")).await.unwrap().unwrap();
        assert!(
            pool.verify(typed("Abcdefgh1!xy"), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify(typed("Abcdefgh1!xz"), Some(hash))
                .await
                .unwrap()
        );
        assert!(!pool.verify(typed("Abcdefgh1!xy"), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once_and_a_panicking_job_spares_the_worker() {
        let pool = PasswordPool::start(passwords(), 1).unwrap();
        // The one worker is held; the queue then fills up.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let holding = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move |_, _| held.recv()).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let mut waiting = Vec::new();
        for _ in 0..QUEUED_PER_WORKER {
            let pool = pool.clone();
            waiting.push(tokio::spawn(async move { pool.run(|_, _| 1).await }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(pool.run(|_, _| 1).await, Err(Busy));
        release.send(()).unwrap();
        assert!(holding.await.unwrap().is_ok());
        for job in waiting {
            assert_eq!(job.await.unwrap(), Ok(1));
        }
        // A job that panics is answered Busy; the worker lives on.
        assert_eq!(
            pool.run(|_, _| -> u8 { panic!("a bug in a job") }).await,
            Err(Busy)
        );
        assert_eq!(pool.run(|_, _| 2).await, Ok(2));
    }
}
