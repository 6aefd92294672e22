// Package sheet writes tables for download: CSV in UTF-8 with a byte-order mark (Excel on Chinese
// Windows needs it to show the text) and Excel workbooks through excelize's stream writer, row by
// row, so that an export of any size never holds the whole table in memory.
package sheet

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Rows hands every row to put, in order, and stops at put's first error.
type Rows func(put func(row []string) error) error

// BOM is the UTF-8 byte-order mark that starts a CSV download.
const BOM = "\xEF\xBB\xBF"

// CSV writes the header and the rows as UTF-8 CSV with a byte-order mark.
func CSV(w io.Writer, header []string, rows Rows) error {
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(header)
	err := rows(cw.Write)
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// XLSX writes the header and the rows as a one-sheet Excel workbook named sheet.
func XLSX(w io.Writer, sheet string, header []string, rows Rows) error {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", sheet)
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	n := 1
	put := func(vals []string) error {
		cells := make([]any, len(vals))
		for i, v := range vals {
			cells[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		n++
		return sw.SetRow(cell, cells)
	}
	if err := put(header); err != nil {
		return err
	}
	if err := rows(put); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}

// Text keeps a spreadsheet from reading text typed by a user as a formula (CSV injection): a cell
// that starts with = + - @ or a tab or carriage return gets a leading apostrophe.
func Text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// SafeRow applies Text to every cell of row, in place.
func SafeRow(row []string) []string {
	for i, v := range row {
		row[i] = Text(v)
	}
	return row
}
