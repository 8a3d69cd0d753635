package guesttoken

import (
	"fmt"
	"strings"
)

// QuoteLiteral returns s as a standard SQL string literal: wrapped in single
// quotes, each single quote doubled. NUL bytes are removed, because no engine
// accepts them inside a literal and some C-based drivers stop reading at the
// first one, which could cut off the closing quote.
//
// This is the quoting rule of PostgreSQL (with standard_conforming_strings on,
// the default), SQLite, Trino/Presto, DuckDB, SQL Server and Oracle. It is NOT
// enough where a backslash escapes the next character inside a literal
// (MySQL and MariaDB in their default mode, Snowflake, ClickHouse, Databricks,
// BigQuery): there `\'` in the value would end the literal early. Use
// QuoteLiteralBackslash for those engines, or ClauseEquals, which refuses
// backslashes.
func QuoteLiteral(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// QuoteLiteralBackslash is QuoteLiteral for engines where a backslash escapes
// inside string literals: it also doubles every backslash, so that no
// character of s can escape the closing quote. On an engine without
// backslash escapes the literal is still closed correctly, but a value that
// contains backslashes no longer compares equal to itself (the filter matches
// nothing rather than too much).
func QuoteLiteralBackslash(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// maxIdentifierLen is the longest identifier part ClauseEquals accepts; it is
// the smallest limit among common engines (PostgreSQL's is 63).
const maxIdentifierLen = 63

// ClauseEquals returns the RLS clause `column = 'value'`. column must be a
// plain identifier, optionally qualified (letters, digits and underscores,
// not starting with a digit, parts separated by dots), so that a column name
// taken from configuration cannot smuggle in SQL. The value is quoted with
// QuoteLiteral; a value containing a NUL byte or a backslash is refused
// rather than quoted, since a backslash's meaning depends on the engine and
// only a refusal is safe on all of them.
func ClauseEquals(column, value string) (string, error) {
	if err := checkIdentifier(column); err != nil {
		return "", err
	}
	if strings.ContainsRune(value, 0) {
		return "", fmt.Errorf("guesttoken: value for %s contains a NUL byte", column)
	}
	if strings.ContainsRune(value, '\\') {
		return "", fmt.Errorf("guesttoken: value for %s contains a backslash, whose meaning in SQL depends on the engine; build the clause with QuoteLiteral or QuoteLiteralBackslash to suit yours", column)
	}
	return column + " = " + QuoteLiteral(value), nil
}

// checkIdentifier accepts only plain, possibly dot-qualified identifiers.
func checkIdentifier(column string) error {
	if column == "" {
		return fmt.Errorf("guesttoken: empty column name")
	}
	for _, part := range strings.Split(column, ".") {
		if part == "" || len(part) > maxIdentifierLen {
			return fmt.Errorf("guesttoken: column %q is not a plain identifier", column)
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			letter := c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
			digit := '0' <= c && c <= '9'
			if !letter && !(digit && i > 0) {
				return fmt.Errorf("guesttoken: column %q is not a plain identifier (letters, digits, underscores and dots only, not starting with a digit)", column)
			}
		}
	}
	return nil
}
