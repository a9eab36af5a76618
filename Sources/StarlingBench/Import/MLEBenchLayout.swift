import Foundation

/// What MLE-bench's `grade.py` of each Lite competition checks beyond Starling's defaults, as
/// ``SubmissionRules`` (read from openai/mle-bench at 783b15af). Competitions not listed keep
/// Starling's strict rules, and the imported config says so.
enum MLEBenchGradingRules {
    static let lite: [String: SubmissionRules] = {
        let required = SubmissionRules(columns: .required)
        var rules: [String: SubmissionRules] = [:]
        for id in [
            "aerial-cactus-identification", "aptos2019-blindness-detection", "denoising-dirty-documents",
            "detecting-insults-in-social-commentary", "dog-breed-identification", "dogs-vs-cats-redux-kernels-edition",
            "histopathologic-cancer-detection", "mlsp-2013-birds", "new-york-city-taxi-fare-prediction",
            "random-acts-of-pizza", "ranzcr-clip-catheter-line-classification", "siim-isic-melanoma-classification",
            "tabular-playground-series-dec-2021", "tabular-playground-series-may-2022",
            "text-normalization-challenge-english-language", "text-normalization-challenge-russian-language",
            "the-icml-2013-whale-challenge-right-whale-redux",
        ] { rules[id] = required }
        // Exactly the id and class columns (leaf, plant-pathology; jigsaw reads every non-id column
        // as a class); spooky checks the shape and reads the probabilities after the first column.
        rules["leaf-classification"] = SubmissionRules(columns: .sample)
        rules["plant-pathology-2020-fgvc7"] = SubmissionRules(columns: .sample, bounded: false)
        rules["jigsaw-toxic-comment-classification-challenge"] = SubmissionRules(columns: .sample, unscoredAnswer: "-1", bounded: false)
        rules["spooky-author-identification"] = SubmissionRules(columns: .sample, idFirst: true)
        // nomad2018 never reads the id: row n is graded against answer row n.
        rules["nomad2018-predict-transparent-conductors"] = SubmissionRules(columns: .required, alignment: .position)
        // The taxi-fare grader sorts both sides by key and never compares the keys.
        rules["new-york-city-taxi-fare-prediction"] = SubmissionRules(columns: .required, alignment: .sorted)
        // The text-normalization graders compare `astype(str)`: an empty cell is the text "nan".
        for id in ["text-normalization-challenge-english-language", "text-normalization-challenge-russian-language"] {
            rules[id] = SubmissionRules(columns: .required, labelsAsText: true)
        }
        return rules
    }()
}

/// Works out a prepared competition's layout (``TaskInputs``) from its public files: which file
/// holds the training labels, whether there is a test file, a single label column behind one-hot
/// answers, and the files named after each row's id (in folders or in zip archives).
struct MLEBenchLayoutFinder {
    let publicFolder: URL
    let idColumn: String
    let targets: [String]
    let sampleIDs: [String]
    /// The answers' distinct target values (for labels read from file names).
    let answerValues: Set<String>

    /// Training files tried in order.
    static let trainFiles = ["train.csv", "labels.csv", "train_labels.csv"]

    /// The layout and whether dev rows can be held out of it.
    func find() throws -> (inputs: TaskInputs, splittable: Bool) {
        let testHeader = try? CSVTable.readHeader(contentsOf: publicFolder.appendingPathComponent("test.csv"))
        let testFile = testHeader?.contains(idColumn) == true ? "test.csv" : nil
        var inputs = TaskInputs(test: testFile)
        var trainTable: CSVTable?
        for name in Self.trainFiles {
            guard let table = try? CSVTable.read(contentsOf: publicFolder.appendingPathComponent(name)) else { continue }
            let label = labelColumn(train: table.header, test: testHeader)
            if targets.allSatisfy(table.header.contains) || label != nil {
                inputs.train = name
                inputs.labelColumn = targets.allSatisfy(table.header.contains) ? nil : label
                trainTable = table
                break
            }
        }
        guard let trainTable else {
            // No CSV of labelled rows: JSON records (random-acts-of-pizza), or labels in file names.
            if FileManager.default.fileExists(atPath: publicFolder.appendingPathComponent("train.json").path) {
                return try jsonLayout(inputs)
            }
            return try namedLabelLayout(inputs)
        }
        let trainIDs = trainTable.column(idColumn) ?? []
        let testIDs = testFile.flatMap { try? CSVTable.read(contentsOf: publicFolder.appendingPathComponent($0)).column(idColumn) } ?? sampleIDs
        let (files, unpack) = try filePatterns(trainIDs: Array(trainIDs.prefix(3)), testIDs: Array(testIDs.prefix(3)))
        inputs.files = files
        inputs.unpack = unpack
        inputs.keepIDs = Self.idsAreText(sampleIDs)
        return (inputs, true)
    }

    /// Whether the rows are text: the ids are (insults), or a column of the training file holds
    /// sentences (40 characters and 5 words on average).
    func readsText(_ inputs: TaskInputs) -> Bool {
        if inputs.keepIDs { return true }
        let url = publicFolder.appendingPathComponent(inputs.train)
        let table = url.pathExtension == "json" ? try? JSONRecords.read(url).table : try? CSVTable.read(contentsOf: url)
        guard let table else { return false }
        for (name, values) in zip(table.header, table.columns) where name != idColumn && !targets.contains(name) && inputs.labelColumn != name {
            let sample = values.prefix(200)
            guard !sample.isEmpty else { continue }
            let characters = sample.reduce(0) { $0 + $1.count }
            let words = sample.reduce(0) { $0 + $1.split(separator: " ").count }
            if characters >= 40 * sample.count, words >= 5 * sample.count { return true }
        }
        return false
    }

    /// Ids that read as sentences (four words or more): the text the rows are about, as
    /// detecting-insults' `Comment`; fresh ids would erase it. A time stamp key is not text.
    static func idsAreText(_ ids: [String]) -> Bool {
        guard !ids.isEmpty else { return false }
        let sentences = ids.filter { $0.split(separator: " ").count >= 4 }.count
        return sentences * 2 > ids.count
    }

    /// JSON records (random-acts-of-pizza's `train.json`, `test.json`), split like a CSV file when
    /// the records hold the id and the targets; zips holding the same files are unpacked in the
    /// view so that they cannot carry the dev rows' labels.
    private func jsonLayout(_ base: TaskInputs) throws -> (inputs: TaskInputs, splittable: Bool) {
        var inputs = base
        inputs.train = "train.json"
        let testURL = publicFolder.appendingPathComponent("test.json")
        inputs.test = FileManager.default.fileExists(atPath: testURL.path) ? "test.json" : nil
        let zips = ((try? FileManager.default.contentsOfDirectory(atPath: publicFolder.path)) ?? []).filter { $0.lowercased().hasSuffix(".zip") }
        inputs.unpack = zips.sorted().filter { zip in
            ((try? ViewFiles.members(of: publicFolder.appendingPathComponent(zip))) ?? []).contains { $0 == "train.json" || $0 == "test.json" }
        }
        guard let header = try? JSONRecords.read(publicFolder.appendingPathComponent("train.json")).table.header,
              header.contains(idColumn), targets.allSatisfy(header.contains) else { return (inputs, false) }
        if inputs.test != nil {
            guard let testHeader = try? JSONRecords.read(testURL).table.header, testHeader.contains(idColumn) else { return (inputs, false) }
        }
        return (inputs, true)
    }

    /// Labels in the names of training files (dogs-vs-cats' `train/cat.17.jpg`): a folder whose
    /// name holds "train" and a token of every file name with as many values as the answers have.
    private func namedLabelLayout(_ base: TaskInputs) throws -> (inputs: TaskInputs, splittable: Bool) {
        guard targets.count == 1, (2...10).contains(answerValues.count) else { return (base, false) }
        let paths = listing()
        var byFolder: [String: [String]] = [:]
        for path in paths.keys {
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count == 2, parts[0].lowercased().contains("train") else { continue }
            byFolder[parts[0], default: []].append(parts[1])
        }
        for (folder, names) in byFolder.sorted(by: { $0.key < $1.key }) where names.count >= 4 {
            let tokens = names.map { $0.split(whereSeparator: { $0 == "." || $0 == "_" }).map(String.init) }
            let shortest = tokens.map(\.count).min() ?? 0
            guard shortest > 0 else { continue }
            for index in Array(0..<shortest) + (1...shortest).map({ -$0 }) {
                let values = Set(tokens.map { $0[index < 0 ? $0.count + index : index] })
                guard values.count == answerValues.count else { continue }
                let mapping = values.isSubset(of: answerValues)
                    ? [:] : Dictionary(uniqueKeysWithValues: zip(values.sorted(), answerValues.sorted()))
                let testPatterns = patterns(Array(sampleIDs.prefix(3)), in: paths.keys).filter { $0.lowercased().contains("test") }
                guard let test = testPatterns.sorted().first else { continue }
                var inputs = base
                inputs.train = TaskInputs.namedLabelsIndex
                inputs.test = nil
                inputs.namedLabels = TaskInputs.NamedLabels(folder: folder, token: index, values: mapping)
                inputs.files = [TaskInputs.FilePattern(train: "{id}", test: test)]
                let example = test.replacingOccurrences(of: "{id}", with: sampleIDs[0])
                let archives = [paths[folder + "/" + names[0]] ?? nil, paths[example] ?? nil].compactMap { $0 }
                inputs.unpack = Array(Set(archives)).sorted()
                return (inputs, true)
            }
        }
        return (base, false)
    }

    /// Every file under the public folder, and every member of its zip archives (as unpacked),
    /// with the archive it comes from.
    private func listing() -> [String: String?] {
        var paths: [String: String?] = [:]
        let base = publicFolder.standardizedFileURL.path
        if let walker = FileManager.default.enumerator(at: publicFolder, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
                if path.lowercased().hasSuffix(".zip") {
                    for member in (try? ViewFiles.members(of: url)) ?? [] { paths[member] = path }
                } else {
                    paths[path] = .some(nil)
                }
            }
        }
        return paths
    }

    /// The one training column that is neither the id nor in the test file, when the answers are
    /// class columns it does not hold (dog-breed's `breed`, spooky's `author`).
    private func labelColumn(train: [String], test: [String]?) -> String? {
        guard targets.count > 1 else { return nil }
        let candidates = train.filter { $0 != idColumn && !(test ?? []).contains($0) && !targets.contains($0) }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// Paths under the public folder (and inside its zip archives, as unpacked) that hold each
    /// of the example ids, as patterns with `{id}`; train and test patterns paired by name.
    private func filePatterns(trainIDs: [String], testIDs: [String]) throws -> ([TaskInputs.FilePattern], [String]) {
        guard !trainIDs.isEmpty, !testIDs.isEmpty else { return ([], []) }
        let paths = listing()  // path → archive it comes from
        let trainPatterns = patterns(trainIDs, in: paths.keys)
        let testPatterns = patterns(testIDs, in: paths.keys)
        var pairs: [TaskInputs.FilePattern] = []
        for train in trainPatterns.sorted() {
            let renamed = train.replacingOccurrences(of: "train", with: "test")
            if renamed != train, testPatterns.contains(renamed) {
                pairs.append(TaskInputs.FilePattern(train: train, test: renamed))
            } else if !train.contains("train"), !train.contains("test"), testPatterns.contains(train) {
                pairs.append(TaskInputs.FilePattern(train: train, test: train))
            }
        }
        var archives = Set<String>()
        for pair in pairs {
            for (pattern, id) in [(pair.train, trainIDs[0]), (pair.test, testIDs[0])] {
                let example = pattern.replacingOccurrences(of: "{id}", with: id)
                if let archive = paths[example] ?? nil { archives.insert(archive) }
            }
        }
        return (pairs, archives.sorted())
    }

    /// Patterns that every example id fills: a path component equal to the id, or the id
    /// followed by an extension, replaced by `{id}`.
    private func patterns(_ ids: [String], in paths: Dictionary<String, String?>.Keys) -> Set<String> {
        var common: Set<String>?
        for id in ids {
            var found = Set<String>()
            for path in paths where path.contains(id) {
                var parts = path.split(separator: "/").map(String.init)
                guard let at = parts.firstIndex(where: { $0 == id || $0.hasPrefix(id + ".") }) else { continue }
                parts[at] = "{id}" + parts[at].dropFirst(id.count)
                found.insert(parts.joined(separator: "/"))
            }
            common = common.map { $0.intersection(found) } ?? found
        }
        return common ?? []
    }
}
