package data

import "errors"

// selfContained checks that an RLS clause is one condition that stays
// inside the parentheses it is wrapped in: its own parentheses balance, and
// it holds no statement separator, once string literals, quoted identifiers
// and comments are set aside. Without this, a clause such as
// "1=1) OR (1=1" passes the check alone but, AND-ed with the other rules
// and the filters, ORs its way past all of them.
func selfContained(clause string) error {
	depth := 0
	for i := 0; i < len(clause); i++ {
		switch c := clause[i]; c {
		case '\'', '"', '`':
			// A quoted literal or identifier; a doubled quote is a quote.
			for i++; i < len(clause); i++ {
				if clause[i] == c {
					if i+1 < len(clause) && clause[i+1] == c {
						i++
						continue
					}
					break
				}
			}
		case '[':
			for i < len(clause) && clause[i] != ']' {
				i++
			}
		case '-':
			if i+1 < len(clause) && clause[i+1] == '-' {
				for i < len(clause) && clause[i] != '\n' {
					i++
				}
			}
		case '/':
			if i+1 < len(clause) && clause[i+1] == '*' {
				end := i + 2
				for end+1 < len(clause) && !(clause[end] == '*' && clause[end+1] == '/') {
					end++
				}
				if end+1 >= len(clause) {
					return errors.New("a /* comment is not closed")
				}
				i = end + 1
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return errors.New("it closes a parenthesis it did not open, which would take it out of the parentheses it is wrapped in")
			}
		case ';':
			return errors.New("it holds a statement separator (;)")
		}
	}
	if depth != 0 {
		return errors.New("its parentheses do not balance")
	}
	return nil
}
