/// What `request_info` can return, as MLE-Dojo names it.
package enum InfoType: String, Sendable, Hashable, Codable, CaseIterable {
    /// The task description (`description.md`).
    case overview
    /// The sample submission's columns and first rows.
    case sampleSubmission = "sample_submission"
    /// The files under `input/`: sizes, CSV columns and row counts.
    case dataStructure = "data_structure"
    /// Where the data is, relative to the script's working directory.
    case dataPath = "data_path"
    /// Where the script must write its submission.
    case outputPath = "output_path"
    /// The task's id and name.
    case name
    /// Metric, direction, columns, limits, and how rewards are computed.
    case metadata
    /// Everything above.
    case all
}
