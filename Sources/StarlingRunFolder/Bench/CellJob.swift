import Foundation

/// What a cluster executor submitted for one bench cell (`cell-job.json` in the cell's run
/// folder, on the machine that runs the bench): every attempt, so that a rerun of the bench
/// reattaches to a job still running and a retry after a lost node is counted.
public struct CellJob: Sendable, Hashable, Codable {
    /// One submission of the cell.
    public struct Attempt: Sendable, Hashable, Codable {
        /// The job's submission id (`starling-wa-churn-aide-s1-3f9c0a12`).
        public var submissionID: String
        /// When the bench submitted it.
        public var submittedAt: Date
        /// When the bench first saw it running.
        public var runningAt: Date?
        /// When the bench saw it end.
        public var endedAt: Date?
        /// The job's last status as the cluster reported it (`PENDING`, `RUNNING`, `SUCCEEDED`,
        /// `FAILED`, `STOPPED`, or `LOST` when the cluster no longer knows the job).
        public var status: String
        /// The node that ran it (address), once known.
        public var node: String?
        /// The cluster's id of that node.
        public var nodeID: String?
        /// How the attempt ended for the bench: `ran` (the run ended), `retry: <why>` (the node
        /// was lost or the job was stopped by someone else) or `failed: <why>`.
        public var outcome: String?

        /// Creates an attempt record.
        public init(submissionID: String, submittedAt: Date, status: String = "PENDING") {
            self.submissionID = submissionID
            self.submittedAt = submittedAt
            self.status = status
        }
    }

    /// The executor (`ray`).
    public var executor: String
    /// The cluster address the jobs went to.
    public var address: String
    /// Whether the cell's folder comes back from the worker when its job ends (`--collect`).
    public var collect: Bool
    /// Every submission, oldest first.
    public var attempts: [Attempt]

    /// Creates a record with no attempts yet.
    public init(executor: String, address: String, collect: Bool, attempts: [Attempt] = []) {
        self.executor = executor
        self.address = address
        self.collect = collect
        self.attempts = attempts
    }

    /// The latest attempt.
    public var current: Attempt? { attempts.last }

    /// What a bench result keeps of the record.
    public var placement: BenchCellResult.Placement {
        BenchCellResult.Placement(executor: executor, jobID: current?.submissionID, node: current?.node,
                                  attempts: attempts.count, jobIDs: attempts.map(\.submissionID))
    }
}

extension BenchCellResult {
    /// Where a cell ran when an executor other than the local one ran it.
    public struct Placement: Sendable, Hashable, Codable {
        /// The executor (`ray`).
        public var executor: String
        /// The last job's id.
        public var jobID: String?
        /// The node that ran the last job.
        public var node: String?
        /// Jobs submitted for the cell (more than one after a lost node).
        public var attempts: Int
        /// Every job id, oldest first.
        public var jobIDs: [String]

        /// Creates a placement.
        public init(executor: String, jobID: String?, node: String?, attempts: Int, jobIDs: [String]) {
            self.executor = executor
            self.jobID = jobID
            self.node = node
            self.attempts = attempts
            self.jobIDs = jobIDs
        }
    }
}
