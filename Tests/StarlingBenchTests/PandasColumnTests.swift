import Foundation
@testable import StarlingBench
import Testing

/// Columns typed as `pandas.read_csv` types them (checked against pandas 2.2.3 by hand and by the
/// grader fuzzer), and CSV files read in the pandas dialect.
struct PandasColumnTests {
    @Test func numbersAreDecimalOrInfinityOnly() {
        for (text, value) in [("1", 1.0), ("+1", 1), (" 1 ", 1), ("1.", 1), (".5", 0.5), ("1E+5", 1e5), ("-0", 0), ("00012", 12), ("1e-400", 0)] {
            #expect(PandasColumn.number(text)?.value == value, "\(text)")
        }
        #expect(PandasColumn.number("-Infinity")?.value == -.infinity)
        #expect(PandasColumn.number("INF")?.value == .infinity)
        for text in ["0x1", "1_0", "1,5", "1e", "e5", "--1", "1.5.2", "1e400", "Nan", "+nan", "True", "１", ""] {
            #expect(PandasColumn.number(text) == nil, "\(text) is text to pandas")
        }
        #expect(PandasColumn.number("3")?.isInteger == true)
        #expect(PandasColumn.number("3.0")?.isInteger == false)
    }

    @Test func oneValueTypesTheWholeColumn() {
        #expect(PandasColumn(["1", "2"]).kind == .integer)
        #expect(PandasColumn(["1", "2.5"]).kind == .float)
        #expect(PandasColumn(["1", ""]).kind == .float)
        #expect(PandasColumn(["1", ""]).numbers?[1].isNaN == true)
        #expect(PandasColumn(["True", "false"]).kind == .boolean)
        #expect(PandasColumn(["True", "false"]).numbers == [1, 0])
        #expect(PandasColumn(["True", "0"]).kind == .text)
        #expect(PandasColumn(["1", "abc"]).kind == .text)
        #expect(PandasColumn(["1", "abc"]).numbers == nil)
        #expect(PandasColumn.firstTextRow(of: ["1", "", "True", "x"]) == 2)
    }

    @Test func idsThatPandasReadsAsNumbersCompareByValue() {
        let (submitted, expected) = PandasColumn.comparable(["3.0", "04", " 5 "], ["3", "4", "5"])
        #expect(submitted == expected)
        let (text, reference) = PandasColumn.comparable([" a1"], ["a1"])
        #expect(text != reference)
    }

    @Test func thePandasDialectReadsWhatReadCSVReads() throws {
        let text = "id,p,p\n1,0.5\n2,0.25,x\u{0}y\n"
        #expect(throws: CSVError.self) { try CSVTable.parse(text) }
        let table = try CSVTable.parse(data: Data(text.utf8), dialect: .pandas)
        #expect(table.header == ["id", "p", "p.1"])
        #expect(table.column("p.1") == ["", "x"])
    }
}
