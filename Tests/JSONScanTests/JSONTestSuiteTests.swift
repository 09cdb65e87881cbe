import JSONScan
import Testing

/// Cases in the style of nst/JSONTestSuite: `y_` must scan, `n_` must be rejected.
@Suite struct JSONTestSuiteTests {
    @Test(arguments: [
        "y_array_arraysWithSpaces": "[[]   ]",
        "y_array_empty-string": "[\"\"]",
        "y_array_heterogeneous": "[null, 1, \"1\", {}]",
        "y_array_with_leading_space": " [1]",
        "y_number_0e+1": "[0e+1]",
        "y_number_0e1": "[0e1]",
        "y_number_negative_zero": "[-0]",
        "y_number_real_capital_e_neg_exp": "[1E-2]",
        "y_number_real_fraction_exponent": "[123.456e78]",
        "y_number_after_space": "[ 4]",
        "y_number_double_close_to_zero":
            "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]",
        "y_object_duplicated_key": "{\"a\":\"b\",\"a\":\"c\"}",
        "y_object_empty_key": "{\"\":0}",
        "y_object_escaped_null_in_key": "{\"foo\\u0000bar\": 42}",
        "y_object_long_strings":
            "{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}], \"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
        "y_string_1_2_3_bytes_UTF-8_sequences": "[\"\\u0060\\u012a\\u12AB\"]",
        "y_string_accepted_surrogate_pairs": "[\"\\ud83d\\ude39\\ud83d\\udc8d\"]",
        "y_string_allowed_escapes": "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
        "y_string_nonCharacterInUTF-8_U+FFFF": "[\"\u{FFFF}\"]",
        "y_string_unicode_U+10FFFE_nonchar": "[\"\\uDBFF\\uDFFE\"]",
        "y_string_utf8": "[\"€𝄞\"]",
        "y_string_with_del_character": "[\"a\u{7F}a\"]",
        "y_structure_lonely_true": "true",
        "y_structure_trailing_newline": "[\"a\"]\n",
        "y_structure_whitespace_array": " [] ",
    ])
    func accepts(name: String, text: String) {
        #expect(scanError(text) == nil, "\(name)")
    }

    @Test(arguments: [
        "n_array_1_true_without_comma": "[1 true]",
        "n_array_comma_after_close": "[\"\"],",
        "n_array_double_comma": "[1,,2]",
        "n_array_extra_close": "[\"x\"]]",
        "n_array_incomplete": "[\"x\"",
        "n_array_inner_array_no_comma": "[3[4]]",
        "n_array_just_comma": "[,]",
        "n_array_missing_value": "[   , \"\"]",
        "n_array_unclosed_trailing_comma": "[1,",
        "n_incomplete_false": "[fals]",
        "n_incomplete_null": "[nul]",
        "n_number_++": "[++1234]",
        "n_number_-01": "[-01]",
        "n_number_-2.": "[-2.]",
        "n_number_0.e1": "[0.e1]",
        "n_number_1_000": "[1 000.0]",
        "n_number_2.e3": "[2.e3]",
        "n_number_9.e+": "[9.e+]",
        "n_number_Inf": "[Inf]",
        "n_number_NaN": "[NaN]",
        "n_number_hex_1_digit": "[0x1]",
        "n_number_minus_infinity": "[-Infinity]",
        "n_number_neg_int_starting_with_zero": "[-012]",
        "n_number_real_without_fractional_part": "[1.]",
        "n_number_with_leading_zero": "[012]",
        "n_object_bad_value": "[\"x\", truth]",
        "n_object_comma_instead_of_colon": "{\"x\", null}",
        "n_object_missing_colon": "{\"a\" b}",
        "n_object_missing_key": "{:\"b\"}",
        "n_object_non_string_key": "{1:1}",
        "n_object_single_quote": "{'a':0}",
        "n_object_trailing_comma": "{\"id\":0,}",
        "n_object_unquoted_key": "{a: \"b\"}",
        "n_object_with_single_string": "{ \"foo\" : \"bar\", \"a\" }",
        "n_single_space": " ",
        "n_string_1_surrogate_then_escape": "[\"\\uD800\\\"]",
        "n_string_escape_x": "[\"\\x00\"]",
        "n_string_escaped_emoji": "[\"\\🌀\"]",
        "n_string_incomplete_surrogate": "[\"\\uD834\\uDd\"]",
        "n_string_single_quote": "['single quote']",
        "n_string_unescaped_newline": "[\"new\nline\"]",
        "n_string_unescaped_tab": "[\"\t\"]",
        "n_structure_array_with_unclosed_string": "[\"asd]",
        "n_structure_close_unopened_array": "1]",
        "n_structure_comma_instead_of_closing_brace": "{\"x\": true,",
        "n_structure_double_array": "[][]",
        "n_structure_end_array": "]",
        "n_structure_lone-open-bracket": "[",
        "n_structure_null-byte-outside-string": "[\u{0}]",
        "n_structure_object_with_trailing_garbage": "{\"a\": true} \"x\"",
        "n_structure_open_object_close_array": "{]",
        "n_structure_unclosed_object": "{\"asd\":\"asd\"",
        "n_structure_UTF8_BOM_no_data": "\u{FEFF}",
        "n_structure_whitespace_formfeed": "[\u{0C}]",
    ])
    func rejects(name: String, text: String) {
        #expect(scanError(text) != nil, "\(name)")
    }
}
