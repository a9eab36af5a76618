import Foundation
import StarlingCore

/// Adapts a model card's example to a task laid out as MLE-bench competitions are (the agent
/// view's `layout.json`: labels in `labels.csv`, test ids only in the sample, a label column
/// behind one probability column per class, images or sounds named by id, JSON records, a text
/// id). The cards keep their short `train.csv` + `test.csv` examples, which small models edit
/// best; only runs on such tasks get the longer loading code, spliced in at the fragments every
/// card shares. A card without those fragments is left as it is.
package enum LayoutAdapter {
    /// Whether the view at `folder` needs the adapted examples: its `layout.json` names anything
    /// other than `train.csv`, `test.csv` and `sample_submission.csv` with the sample's first
    /// column as the id.
    package static func isNeeded(viewFolder folder: URL) -> Bool {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("layout.json")),
              case .object(let layout)? = try? JSONDecoder().decode(JSONValue.self, from: data) else { return false }
        let sampleName = layout["sample_submission"]?.string ?? "sample_submission.csv"
        let firstColumn = (try? String(contentsOf: folder.appendingPathComponent(sampleName), encoding: .utf8))?
            .split(separator: "\n", maxSplits: 1).first.map { String($0.split(separator: ",").first ?? "") }
        if case .array(let files)? = layout["files"], !files.isEmpty { return true }
        if case .string? = layout["label_column"] { return true }
        return layout["train"]?.string != "train.csv" || layout["test"]?.string != "test.csv"
            || sampleName != "sample_submission.csv" || layout["id_column"]?.string != firstColumn
            || (layout["prediction"]?.string == "probability" && layout["train"]?.string?.hasSuffix(".json") == true)
    }

    /// `code` with the layout-aware loading, features and class-probability fragments.
    package static func adapt(_ code: String) -> String {
        guard code.contains(Fragment.prelude) else { return code }
        var adapted = code.replacingOccurrences(of: Fragment.prelude, with: Fragment.layoutPrelude)
        if !adapted.contains("\nimport json\n"), let range = adapted.range(of: "\nimport os\n") {
            adapted.replaceSubrange(range, with: "\nimport json\nimport os\n")
        }
        adapted = adapted.replacingOccurrences(of: Fragment.features, with: Fragment.features + Fragment.textID)
        adapted = adapted.replacingOccurrences(of: Fragment.kindStart, with: Fragment.kindStart + Fragment.probabilityKind)
        if adapted.contains("\ndef fit_predict(") {
            adapted = adapted.replacingOccurrences(of: Fragment.fillSample, with: Fragment.classProbabilities + "for col in sample.columns:\n")
        }
        return adapted
    }

    /// A retriever whose cards' examples are adapted.
    package struct Retriever: ModelRetriever {
        package let base: any ModelRetriever

        package init(base: any ModelRetriever) { self.base = base }

        package func retrieve(for spec: TaskSpec, text: String, limit: Int) async -> [ModelCard] {
            await base.retrieve(for: spec, text: text, limit: limit).map { card in
                var adapted = card
                adapted.example = LayoutAdapter.adapt(card.example)
                return adapted
            }
        }
    }

    /// The fragments every card's example shares, and what replaces them.
    enum Fragment {
        static let prelude = #"""
            train = pd.read_csv("input/train.csv")
            test = pd.read_csv("input/test.csv")
            sample = pd.read_csv("input/sample_submission.csv")
            ID = sample.columns[0]  # the id is sample_submission's first column, targets the others
            TARGETS = [c for c in sample.columns[1:] if c in train.columns]

            """#
        static let layoutPrelude = #"""
            LAYOUT = json.load(open("input/layout.json")) if os.path.exists("input/layout.json") else {}  # where the data is


            SOUNDS = (".wav", ".aif", ".aiff", ".flac", ".ogg", ".mp3")


            def file_numbers(path: str) -> np.ndarray:
                """A row's image as 16x16 grey levels in [0, 1], or a sound's 256 band energies; zeros if unreadable."""
                try:
                    if path.lower().endswith(SOUNDS):
                        import soundfile

                        samples = soundfile.read(path, dtype="float32", always_2d=True)[0].mean(axis=1)
                        return np.array([band.mean() for band in np.array_split(np.abs(np.fft.rfft(samples)), 256)])
                    from PIL import Image

                    return np.asarray(Image.open(path).convert("L").resize((16, 16)), dtype=float).ravel() / 255.0
                except Exception:
                    return np.zeros(256)


            def file_features(paths: list) -> np.ndarray:
                """Pretrained features from Starling's zoo when it is installed (cached across scripts): images through
                MobileNetV2 (1280 numbers each), sounds through Whisper's encoder (1536); else file_numbers."""
                sounds = bool(paths) and str(paths[0]).lower().endswith(SOUNDS)
                try:
                    import starling_zoo

                    features = starling_zoo.audio_features(paths) if sounds else starling_zoo.image_features(paths)
                    print(f"{'sound' if sounds else 'image'} features: the zoo's {'whisper_tiny_en' if sounds else 'mobilenet_v2'}, {features.shape[1]} each")
                    return features
                except Exception as error:  # no zoo here, or an unreadable file: simple numbers instead
                    print(f"{'sound' if sounds else 'image'} features: {'band energies' if sounds else '16x16 grey pixels'} (zoo unavailable: {str(error)[:200]})")
                return np.stack([file_numbers(p) for p in paths])


            def read(name: str) -> pd.DataFrame:
                return pd.read_json("input/" + name) if name.endswith(".json") else pd.read_csv("input/" + name)


            sample = read(LAYOUT.get("sample_submission", "sample_submission.csv"))
            ID = LAYOUT.get("id_column", sample.columns[0])  # the row id; the other sample columns are predicted
            train = read(LAYOUT.get("train", "train.csv"))
            TEST_FILE = LAYOUT.get("test", "test.csv")  # None: the ids to predict are the sample's
            test = read(TEST_FILE) if TEST_FILE else sample[[ID]].copy()
            LABEL = train.pop(LAYOUT["label_column"]).astype(str) if LAYOUT.get("label_column") else None  # one class per row
            for pattern in LAYOUT.get("files", [])[:1]:  # each row's image or sound file becomes number columns
                train, test = (pd.concat([f, pd.DataFrame(file_features(["input/" + p.replace("{id}", str(i)) for i in f[ID]])).add_prefix("px_")], axis=1)
                               for f, p in ((train, pattern["train"]), (test, pattern["test"])))
            TARGETS = [c for c in (LAYOUT.get("target_columns") or sample.columns[1:]) if c in train.columns]

            """#
        static let features = "FEATURES = [c for c in train.columns if c in test.columns and c != ID and c not in sample.columns]\n"
        static let textID = #"""
            if not FEATURES and ID in train.columns and not pd.api.types.is_numeric_dtype(train[ID]):
                FEATURES = [ID]  # the id is the only input (insults: the comment text is the id)

            """#
        static let kindStart = "    sample_is_float = pd.api.types.is_float_dtype(sample_values)\n"
        static let probabilityKind = #"""
                if y.nunique() == 2 and LAYOUT.get("prediction") == "probability":  # the metric reads probabilities
                    return "proba"

            """#
        static let fillSample = "for col in sample.columns[1:]:\n"
        static let classProbabilities = #"""
            if LABEL is not None:  # one model over the classes: a probability column per class, rows summing to 1
                CLASSES = [c for c in sample.columns if c != ID]

                def class_probabilities(x_fit: pd.DataFrame, labels: pd.Series, x_other: pd.DataFrame) -> pd.DataFrame:
                    present, codes = np.unique(labels.to_numpy(), return_inverse=True)
                    proba = fit_predict(x_fit, codes, x_other, "label") if len(present) > 1 else np.ones((len(x_other), 1))
                    frame = pd.DataFrame(proba, columns=present).reindex(columns=CLASSES, fill_value=0.0).clip(1e-6, None)
                    return frame.div(frame.sum(axis=1), axis=0)

                x_fit, x_val, l_fit, l_val = train_test_split(x_all, LABEL, test_size=0.2, random_state=SEED)
                val = class_probabilities(x_fit.reset_index(drop=True), l_fit, x_val.reset_index(drop=True)).to_numpy()
                scores.append(float(-np.mean(np.log(val[l_val.to_numpy()[:, None] == np.array(CLASSES)[None, :]]))))  # log loss
                submission[CLASSES] = class_probabilities(x_all, LABEL, x_test).to_numpy()

            """#
    }
}
