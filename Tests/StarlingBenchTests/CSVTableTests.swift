import Foundation
import StarlingTestSupport
import StarlingBench
import Testing

@Suite struct CSVTableTests {
    @Test func readsQuotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let table = try CSVTable.parse("id,text,n\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n")
        #expect(table.header == ["id", "text", "n"])
        #expect(table.column("text") == ["a, b", "say \"hi\"", "two\nlines"])
        // The row after a quoted line break starts on file line 5.
        #expect(table.lineNumbers == [2, 3, 4])
        #expect(try CSVTable.parse("a\n\"x\ny\"\nz\n").lineNumbers == [2, 4])
    }

    @Test func skipsByteOrderMarkAndAcceptsCRLFAndCR() throws {
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data("id,v\r\n1,2\r\n3,4\r5,6".utf8)
        let table = try CSVTable.parse(data: bom)
        #expect(table.header == ["id", "v"])
        #expect(table.columns == [["1", "3", "5"], ["2", "4", "6"]])
        #expect(table.lineNumbers == [2, 3, 4])
    }

    @Test func keepsEmptyFieldsAndSkipsBlankLines() throws {
        let table = try CSVTable.parse("a,b,c\n1,,\n\n,2,\n")
        #expect(table.rowCount == 2)
        #expect(table.row(0) == ["1", "", ""])
        #expect(table.row(1) == ["", "2", ""])
        #expect(table.lineNumbers == [2, 4])
    }

    @Test func wrongFieldCountNamesFileAndLine() throws {
        let error = try #require(throws: CSVError.self) { try CSVTable.parse("a,b\n1,2\n3,4,5\n", source: "sub.csv") }
        #expect(error.file == "sub.csv")
        #expect(error.line == 3)
        #expect(error.description.contains("sub.csv:3"))
        #expect(error.description.contains("3 fields"))
    }

    @Test func unclosedQuoteNamesWhereItOpened() throws {
        let error = try #require(throws: CSVError.self) { try CSVTable.parse("a,b\n1,\"open\n2,3\n", source: "f.csv") }
        #expect(error.line == 2)
        #expect(error.column == 3)
    }

    @Test func characterAfterClosingQuoteIsAnErrorWithColumn() throws {
        let error = try #require(throws: CSVError.self) { try CSVTable.parse("a,b\n1,\"x\"y\n", source: "f.csv") }
        #expect(error.line == 2)
        #expect(error.column == 6)
    }

    @Test func emptyFileAndRepeatedHeaderAreErrors() throws {
        #expect(throws: CSVError.self) { try CSVTable.parse("") }
        let error = try #require(throws: CSVError.self) { try CSVTable.parse("id,x,id\n1,2,3\n") }
        #expect(error.message.contains("'id'"))
    }

    @Test func writingAndReadingBackGivesTheSameTable() throws {
        let rows = [["1", "plain", "a,b"], ["2", "q\"uote", "line\nbreak"], ["3", "", " spaced "]]
        let table = try CSVTable(header: ["id", "x", "y"], rows: rows)
        let back = try CSVTable.parse(table.csvText())
        #expect(back.columns == table.columns)
        #expect(back.header == table.header)
    }

    @Test func readsOnlyTheHeader() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("t.csv", "\u{FEFF}id,\"a,b\",c\n1,2,3\n")
        #expect(try CSVTable.readHeader(contentsOf: url) == ["id", "a,b", "c"])
    }

    @Test("reads a million rows in reasonable time")
    func readsAMillionRows() throws {
        var text = "id,value,label\n"
        text.reserveCapacity(25_000_000)
        for i in 0..<1_000_000 { text += "\(i),\(Double(i) / 7),\(i % 3 == 0 ? "\"a,b\"" : "c")\n" }
        let data = Data(text.utf8)
        let clock = ContinuousClock()
        var table: CSVTable?
        let elapsed = try clock.measure { table = try CSVTable.parse(data: data) }
        #expect(table?.rowCount == 1_000_000)
        #expect(table?.column("label")?[3] == "a,b")
        // Debug builds on a shared two-core machine; a release build is several times faster.
        #expect(elapsed < .seconds(60), "parsing took \(elapsed)")
        print("CSV: 1M rows × 3 columns (\(data.count / 1_000_000) MB) parsed in \(elapsed)")
    }
}
