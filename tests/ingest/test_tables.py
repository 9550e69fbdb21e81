"""Long tables fold by their key; tables of entities keep a record per row."""

from __future__ import annotations

from ingest.tables import records_from_rows


def test_long_table_folds_rows_of_one_key() -> None:
    header = ["序号", "专业代码", "专业名称", "职业编码", "职业名称"]
    rows = [
        ["1", "510204", "数字媒体技术", "2-09-06-01", "视觉传达设计人员"],
        ["2", "510204", "数字媒体技术", "4-13-01-05", "全媒体运营师"],
        ["3", "510205", "大数据技术", "2-02-30-09", "数据分析处理工程技术人员"],
        ["4", "510205", "大数据技术", "2-02-38-03", "大数据工程技术人员"],
        ["5", "510205", "大数据技术", "4-07-02-05", "商务数据分析师"],
    ]
    out = records_from_rows(header, rows, table="高职")
    assert len(out) == 2
    first = dict(out[0].fields)
    assert first["专业代码"] == "510204" and first["专业名称"] == "数字媒体技术"
    assert first["职业编码 / 职业名称"] == "2-09-06-01 / 视觉传达设计人员; 4-13-01-05 / 全媒体运营师"
    assert out[1].locator == "高职, rows 4-6"


def test_table_with_unique_codes_keeps_rows() -> None:
    header = ["专业大类", "专业代码", "专业名称"]
    rows = [["电子与信息大类", f"51020{i}", f"专业{i}"] for i in range(1, 7)]
    out = records_from_rows(header, rows)
    assert [dict(r.fields)["专业代码"] for r in out] == [f"51020{i}" for i in range(1, 7)]
    assert out[0].locator == "row 2"


def test_empty_columns_and_rows_are_dropped() -> None:
    out = records_from_rows(["a", "", "c"], [["1", "", "x"], ["", "", ""], ["2", "", "y"]])
    assert [r.fields for r in out] == [(("a", "1"), ("c", "x")), (("a", "2"), ("c", "y"))]
