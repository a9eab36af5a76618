import Foundation

/// What a cluster executor submitted for one bench cell (`cell-job.json` in the cell's run
/// folder, on the machine that runs the bench): every attempt, so that a rerun of the bench
/// reattaches to a job still running and a retry after a lost node is counted.
package struct CellJob: Sendable, Hashable, Codable {
    /// One submission of the cell.
    package struct Attempt: Sendable, Hashable, Codable {
        /// The job's submission id (`starling-wa-churn-aide-s1-3f9c0a12`).
        package var submissionID: String
        /// When the bench submitted it.
        package var submittedAt: Date
        /// When the bench first saw it running.
        package var runningAt: Date?
        /// When the bench saw it end.
        package var endedAt: Date?
        /// The job's last status as the cluster reported it (`PENDING`, `RUNNING`, `SUCCEEDED`,
        /// `FAILED`, `STOPPED`, or `LOST` when the cluster no longer knows the job).
        package var status: String
        /// The node that ran it (address), once known.
        package var node: String?
        /// The cluster's id of that node.
        package var nodeID: String?
        /// How the attempt ended for the bench: `ran` (the run ended), `retry: <why>` (the node
        /// was lost or the job was stopped by someone else) or `failed: <why>`.
        package var outcome: String?

        /// Creates an attempt record.
        package init(submissionID: String, submittedAt: Date, status: String = "PENDING") {
            self.submissionID = submissionID
            self.submittedAt = submittedAt
            self.status = status
        }
    }

    /// The executor (`ray`).
    package var executor: String
    /// The cluster address the jobs went to.
    package var address: String
    /// Whether the cell's folder comes back from the worker when its job ends (`--collect`).
    package var collect: Bool
    /// Every submission, oldest first.
    package var attempts: [Attempt]

    /// Creates a record with no attempts yet.
    package init(executor: String, address: String, collect: Bool, attempts: [Attempt] = []) {
        self.executor = executor
        self.address = address
        self.collect = collect
        self.attempts = attempts
    }

    /// The latest attempt.
    package var current: Attempt? { attempts.last }

    /// What a bench result keeps of the record.
    package var placement: BenchCellResult.Placement {
        BenchCellResult.Placement(executor: executor, jobID: current?.submissionID, node: current?.node,
                                  attempts: attempts.count, jobIDs: attempts.map(\.submissionID))
    }
}

extension BenchCellResult {
    /// Where a cell ran when an executor other than the local one ran it.
    package struct Placement: Sendable, Hashable, Codable {
        /// The executor (`ray`).
        package var executor: String
        /// The last job's id.
        package var jobID: String?
        /// The node that ran the last job.
        package var node: String?
        /// Jobs submitted for the cell (more than one after a lost node).
        package var attempts: Int
        /// Every job id, oldest first.
        package var jobIDs: [String]

        /// Creates a placement.
        package init(executor: String, jobID: String?, node: String?, attempts: Int, jobIDs: [String]) {
            self.executor = executor
            self.jobID = jobID
            self.node = node
            self.attempts = attempts
            self.jobIDs = jobIDs
        }
    }
}
