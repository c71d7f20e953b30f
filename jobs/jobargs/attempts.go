package jobargs

// MaxAttempts is how many times a job is tried before River marks it dead.
// It is stored with each job when it is queued, so the store that queues
// and the worker client agree on it; with the queue's backoff it spans
// about three days, which keeps writes to iCIMS trying through a long
// outage.
const MaxAttempts = 30
