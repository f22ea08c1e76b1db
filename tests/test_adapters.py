"""The training-stack adapters, called the way each framework calls them (the real package where it is light)."""

import inspect
import json

import pytest

from bracketsolve.adapters import reasoning_gym as rg_adapter
from bracketsolve.adapters import trl, verl
from bracketsolve.errors import BracketError
from bracketsolve.evaluation.generate import generate

SEED = "8 + 28 / 4 - 2 * 3 = 6"
RIGHT = "Let me think.\n<answer>(8 + 28) / ((4 - 2) * 3)</answer>"
WRONG = "<answer>8 + 28 / (4 - 2) * 3</answer>"
HACKS = ["<answer>36 / 6</answer>", "<answer>(8+28)/((4-2)*3) ** 1</answer>", "<answer>6</answer>",
         "<answer>__import__('os').system('true')</answer>", "<answer>" + "(" * 5000 + "</answer>"]


# --- reasoning-gym --------------------------------------------------------------------------------------

def test_dataset_entries_depend_on_seed_and_index():
    cfg = rg_adapter.BracketPuzzleConfig(seed=7, size=5)
    a, b = rg_adapter.BracketPuzzleDataset(cfg), rg_adapter.BracketPuzzleDataset(cfg)
    assert [a[i] for i in range(5)] == [b[i] for i in range(5)] == list(a)
    assert len(a) == 5
    for i, entry in enumerate(a):
        meta = entry["metadata"]
        assert set(entry) == {"question", "answer", "metadata"}
        assert meta["source_dataset"] == "bracket_puzzle" and meta["source_index"] == i
        assert 5 <= len(meta["numbers"]) <= 6 and meta["min_depth"] >= 1
        assert a.score_answer(entry["answer"], entry) == 1.0
        assert a.score_answer(None, entry) == 0.0 and a.score_answer("", entry) == 0.0


def test_config_validate_raises_value_errors():
    for bad in (dict(min_operands=1), dict(min_operands=6, max_operands=5), dict(kind="hard"),
                dict(operators=("^",)), dict(min_value=9, max_value=1), dict(min_depth=4, min_operands=5)):
        with pytest.raises(ValueError):
            rg_adapter.BracketPuzzleConfig(**bad).validate()
    with pytest.raises(BracketError):
        rg_adapter.BracketPuzzleDataset(rg_adapter.BracketPuzzleConfig(kind="hard"))


def test_score_answer_rejects_reward_hacks():
    entry = {"metadata": {"puzzle": SEED}}
    data = rg_adapter.BracketPuzzleDataset(rg_adapter.BracketPuzzleConfig(seed=1, size=1))
    assert data.score_answer(RIGHT, entry) == 1.0
    assert all(data.score_answer(h, entry) == 0.0 for h in HACKS)


def test_registered_with_the_real_reasoning_gym():
    rg = pytest.importorskip("reasoning_gym")
    from reasoning_gym.dataset import ProceduralDataset

    data = rg.create_dataset("bracket_puzzle", seed=3, size=4)
    assert isinstance(data, ProceduralDataset) and len(data) == 4
    entry = data[2]
    assert rg.get_score_answer_fn("bracket_puzzle")(entry["answer"], entry) == 1.0
    from reasoning_gym.composite import CompositeConfig, CompositeDataset, DatasetSpec

    mix = CompositeDataset(CompositeConfig(size=6, seed=5, datasets=[DatasetSpec("bracket_puzzle", 1.0, {})]))
    entry = mix[0]
    assert mix.score_answer(entry["answer"], entry) == 1.0


# --- verl -----------------------------------------------------------------------------------------------

def call_like_verl(fn, solution, ground_truth):
    """NaiveRewardManager: every argument by keyword; extra_info is a dict verl adds keys to."""
    extra_info = {"split": "train", "index": 0, "num_turns": 1, "rollout_reward_scores": {}}
    return fn(data_source="bracketsolve", solution_str=solution, ground_truth=ground_truth, extra_info=extra_info)


def test_verl_signature_is_the_documented_one():
    names = list(inspect.signature(verl.compute_score).parameters)
    assert names[:4] == ["data_source", "solution_str", "ground_truth", "extra_info"]
    assert inspect.signature(verl.compute_score).parameters["extra_info"].default is None


def test_verl_scores_by_keyword():
    assert call_like_verl(verl.compute_score, RIGHT, SEED) == 1.0
    assert call_like_verl(verl.compute_score, WRONG, SEED) == 0.0
    assert call_like_verl(verl.compute_score, RIGHT, {"puzzle": SEED}) == 1.0
    assert all(call_like_verl(verl.compute_score, h, SEED) == 0.0 for h in HACKS)
    assert verl.compute_score("x", WRONG, SEED, wrong_format_credit=0.1) == 0.1       # reward_kwargs
    details = call_like_verl(verl.compute_score_details, RIGHT, SEED)
    assert details == {"score": 1.0, "acc": 1.0}
    with pytest.raises(BracketError):
        call_like_verl(verl.compute_score, RIGHT, {"target": 6})


def test_verl_parquet_rows_load_as_verl_loads_them(tmp_path):
    pytest.importorskip("pyarrow")
    datasets = pytest.importorskip("datasets")
    entries = list(generate(4, operands=5, seed=2))
    path = tmp_path / "train.parquet"
    assert verl.write_parquet(str(path), entries) == 4
    table = datasets.load_dataset("parquet", data_files=str(path))["train"]       # rl_dataset.py's call
    for row, entry in zip(table, entries):
        assert row["prompt"][-1] == {"role": "user", "content": entry["question"]}
        assert call_like_verl(verl.compute_score, f"<answer>{entry['answer']}</answer>",
                              row["reward_model"]["ground_truth"]) == 1.0
    with pytest.raises(BracketError):
        verl.write_parquet(str(tmp_path / "train.json"), entries)


# --- TRL ------------------------------------------------------------------------------------------------

def call_like_trl(fn, prompts, completions, **columns):
    """GRPOTrainer._calculate_rewards: prompts, completions, completion_ids, the dataset's other columns as
    lists aligned with the completions, trainer_state, log_extra, log_metric."""
    logged = []
    out = fn(prompts=prompts, completions=completions, completion_ids=[[1, 2]] * len(completions),
             trainer_state=None, log_extra=lambda column, values: logged.append(column),
             log_metric=lambda name, value: logged.append(name), **columns)
    assert isinstance(out, list) and len(out) == len(prompts) and all(isinstance(x, float) for x in out)
    return out


def test_trl_standard_format():
    completions = [RIGHT, WRONG, *HACKS]
    out = call_like_trl(trl.reward, ["p"] * len(completions), completions, puzzle=[SEED] * len(completions))
    assert out == [1.0] + [0.0] * (len(completions) - 1)


def test_trl_conversational_format_and_metadata_column():
    completions = [[{"role": "assistant", "content": RIGHT}], [{"role": "assistant", "content": WRONG}]]
    prompts = [[{"role": "user", "content": "q"}]] * 2
    assert call_like_trl(trl.reward, prompts, completions, metadata=[{"puzzle": SEED}] * 2) == [1.0, 0.0]


def test_trl_groups_repeat_rows_and_credit():
    entries = list(generate(2, operands=4, seed=9))
    rows = trl.rows(entries)
    assert rows[0]["prompt"] == [{"role": "user", "content": entries[0]["question"]}]
    puzzles = [r["puzzle"] for r in rows for _ in range(3)]                # num_generations = 3
    completions = [f"<answer>{e['answer']}</answer>" for e in entries for _ in range(3)]
    assert call_like_trl(trl.reward, ["p"] * 6, completions, puzzle=puzzles) == [1.0] * 6
    partial = trl.make_reward(wrong_format_credit=0.2)
    assert call_like_trl(partial, ["p"], [WRONG], puzzle=[SEED]) == [0.2]
    assert partial.__name__ == "bracketsolve_reward"


def test_trl_without_a_puzzle_column_fails_loudly():
    with pytest.raises(BracketError, match="puzzle"):
        trl.reward(prompts=["p"], completions=[RIGHT], completion_ids=[[1]])


def test_adapters_import_no_framework():
    import subprocess
    import sys

    code = ("import sys, bracketsolve.adapters.verl, bracketsolve.adapters.trl; "
            "print(json.dumps([m for m in ('torch', 'trl', 'verl') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


# --- TRL, free-order rows (24, Countdown) -----------------------------------------------------------------------

def trl_columns(dataset_rows, generations=1):
    """What GRPOTrainer passes: every column but the prompt, one value per completion (rows repeated)."""
    keys = [key for key in dataset_rows[0] if key not in ("prompt", "completion", "completion_ids")]
    return {key: [row[key] for row in dataset_rows for _ in range(generations)] for key in keys}


def test_trl_free_order_rows_of_generate_games():
    from bracketsolve.evaluation.games_generate import generate_games

    for rules in ("24", "countdown"):
        entries = list(generate_games(3, rules=rules, seed=4))
        dataset = trl.rows(entries)
        assert dataset[0]["rules"] == rules and dataset[0]["puzzle"] == entries[0]["metadata"]["puzzle"]
        completions = [f"<answer>{e['answer']}</answer>" for e in entries for _ in range(2)]
        columns = trl_columns(dataset, generations=2)
        assert call_like_trl(trl.reward, ["p"] * 6, completions, **columns) == [1.0] * 6
        hacks = [f"<answer>{e['answer']}</answer> is wrong" for e in entries for _ in range(2)]
        assert call_like_trl(trl.reward, ["p"] * 6, hacks, **columns) == [0.0] * 6


GAME_RIGHT = "<answer>(7 - 8 / 8) * 4</answer>"
GAME_HACKS = ["<answer>(7 - 8 / 8) * 4</answer> is wrong", "<answer>7 * 8 / 8 * 4 ** 1</answer>", "<answer>24</answer>",
              "<answer>(7 - 8 / 8) * 4</answer>^2", "<answer>(7 - 8 / 8) * 4 = 24</answer>. That is wrong."]


@pytest.mark.parametrize("columns", [
    {"puzzle": ["4 7 8 8 -> 24"], "rules": ["24"]},
    {"numbers": [[4, 7, 8, 8]], "target": [24]},
    {"metadata": [{"puzzle": "4 7 8 8 -> 24", "rules": "24", "numbers": ["4", "7", "8", "8"], "target": "24",
                   "ops": "+-*/"}]},
    {"metadata": [{"source_dataset": "countdown", "numbers": [4, 7, 8, 8], "target": 24}]},       # reasoning-gym
    {"metadata": [{"source_dataset": "puzzle24", "numbers": [4, 7, 8, 8]}]},
    {"reward_model": [{"style": "rule", "ground_truth": {"target": 24, "numbers": [4, 7, 8, 8]}}]},   # TinyZero
    {"ground_truth": [{"target": 24, "numbers": [4, 7, 8, 8]}]},
])
def test_trl_free_order_columns(columns):
    assert call_like_trl(trl.reward, ["p"], [GAME_RIGHT], **columns) == [1.0]
    assert call_like_trl(trl.reward, ["p"] * len(GAME_HACKS), GAME_HACKS,
                         **{k: v * len(GAME_HACKS) for k, v in columns.items()}) == [0.0] * len(GAME_HACKS)
    conversational = [[{"role": "assistant", "content": GAME_RIGHT}]]
    assert call_like_trl(trl.reward, [[{"role": "user", "content": "q"}]], conversational, **columns) == [1.0]


def test_trl_free_order_rules_and_credit():
    countdown = {"numbers": [[25, 4, 1, 9]], "target": [99]}
    assert call_like_trl(trl.reward, ["p"], ["<answer>25 * 4 - 1</answer>"], **countdown) == [0.0]   # 24: all
    assert call_like_trl(trl.reward, ["p"], ["<answer>25 * 4 - 1</answer>"], rules=["countdown"], **countdown) == [1.0]
    partial = trl.make_reward(wrong_format_credit=0.25)
    assert call_like_trl(partial, ["p"], ["<answer>4 * 7 - 8 + 8</answer>"], puzzle=["4 7 8 8 -> 24"],
                         rules=["24"]) == [0.25]
    assert call_like_trl(trl.reward, ["p"], [RIGHT], puzzle=[SEED], rules=[None]) == [1.0]      # a mixed dataset
    assert call_like_trl(trl.reward, ["p"], [RIGHT], ground_truth=[SEED]) == [1.0]           # a verl row's text


def test_trl_bad_free_order_columns_fail_loudly():
    with pytest.raises(BracketError, match="column"):
        trl.reward(prompts=["p", "q"], completions=[GAME_RIGHT] * 2, numbers=[[4, 7, 8, 8]], target=[24])
    with pytest.raises(BracketError):
        trl.reward(prompts=["p"], completions=[GAME_RIGHT], puzzle=["4 7 8 8 -> 24"], rules=["chess"])


def test_trl_rows_load_as_a_datasets_dataset():
    datasets = pytest.importorskip("datasets")
    from bracketsolve.evaluation.games_generate import generate_games

    entries = list(generate_games(4, rules="countdown", seed=2))
    table = datasets.Dataset.from_list(trl.rows(entries))
    inputs = [dict(example) for example in table]                       # what GRPOTrainer iterates over
    columns = {key: [example[key] for example in inputs] for key in inputs[0] if key != "prompt"}
    completions = [f"<answer>{e['answer']}</answer>" for e in entries]
    assert call_like_trl(trl.reward, [e["prompt"] for e in inputs], completions, **columns) == [1.0] * 4


# --- a transcript that still holds the prompt: only the response after the last assistant marker is graded -----

NONE_PUZZLE = "1 + 1 = 7"                     # no bracketing makes 7: a claim of none in the prompt would pay
PROMPT = "Add brackets to 1 + 1 = 7. If none works, write <answer>no solution</answer>.\n\n1 + 1 = 7"
EXAMPLE = "Use 3 and 4 to make 7, for example <answer>3 + 4</answer>."          # the prompt's own example answer
TRANSCRIPTS = [          # (prompt, marker, response) -> the text verl or a harness may pass
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n{p}<|im_end|>\n<|im_start|>assistant\n{r}",
    "A conversation between User and Assistant. User: {p}\nAssistant: {r}",
    "<|start_header_id|>user<|end_header_id|>\n\n{p}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n{r}",
    "<|user|>\n{p}<|end|>\n<|assistant|>\n{r}",
    "<｜User｜>{p}<｜Assistant｜>{r}",
    "<start_of_turn>user\n{p}<end_of_turn>\n<start_of_turn>model\n{r}",
    "[INST] {p} [/INST] {r}",
]
SILENT = ["I am not sure.", "", "<think>still thinking"]


@pytest.mark.parametrize("template", TRANSCRIPTS)
def test_verl_grades_only_the_response_of_a_transcript(template):
    for response in SILENT:
        for prompt, puzzle in ((PROMPT, NONE_PUZZLE), (EXAMPLE, "3 + 4 = 7")):
            text = template.format(p=prompt, r=response)
            assert call_like_verl(verl.compute_score, text, puzzle) == 0.0, text
            assert call_like_verl(verl.compute_score_details, text, puzzle)["score"] == 0.0, text
    right = template.format(p=EXAMPLE, r="Thinking.\n<answer>3 + 4</answer>")
    assert call_like_verl(verl.compute_score, right, "3 + 4 = 7") == 1.0
    claim = template.format(p=PROMPT, r="<answer>no solution</answer>")
    assert call_like_verl(verl.compute_score, claim, NONE_PUZZLE) == 1.0


@pytest.mark.parametrize("template", TRANSCRIPTS)
def test_reasoning_gym_grades_only_the_response_of_a_transcript(template):
    data = rg_adapter.BracketPuzzleDataset(rg_adapter.BracketPuzzleConfig(seed=1, size=1))
    for response in SILENT:
        assert data.score_answer(template.format(p=PROMPT, r=response), {"metadata": {"puzzle": NONE_PUZZLE}}) == 0.0
        assert data.score_answer(template.format(p=EXAMPLE, r=response), {"metadata": {"puzzle": "3 + 4 = 7"}}) == 0.0
    assert data.score_answer(template.format(p=EXAMPLE, r="<answer>3 + 4</answer>"),
                             {"metadata": {"puzzle": "3 + 4 = 7"}}) == 1.0


def test_reasoning_gym_does_not_grade_the_question_quoted_back():
    entry = {"question": PROMPT, "answer": "no solution", "metadata": {"puzzle": NONE_PUZZLE}}
    data = rg_adapter.BracketPuzzleDataset(rg_adapter.BracketPuzzleConfig(seed=1, size=1))
    assert data.score_answer(PROMPT, entry) == 0.0
    assert data.score_answer(PROMPT + "\nHmm.", entry) == 0.0
    assert data.score_answer(PROMPT + "\n<answer>no solution</answer>", entry) == 1.0


@pytest.mark.parametrize("template", [t for t in TRANSCRIPTS if "Assistant:" in t or "im_start" in t])
def test_tinyzero_compute_score_grades_after_the_last_marker(template):
    from bracketsolve.evaluation.games_rewards import compute_score as tinyzero_score

    truth = {"target": 7, "numbers": [3, 4]}
    for response in SILENT:
        assert tinyzero_score(template.format(p="Assistant: hello. User: " + EXAMPLE, r=response), truth) == 0
    assert tinyzero_score(template.format(p=EXAMPLE, r="<answer>4 + 3</answer>"), truth) == 1.0


def test_trl_grades_only_assistant_messages():
    columns = {"puzzle": ["3 + 4 = 7"]}
    for completion in ([{"role": "assistant", "content": "no idea"}, {"role": "tool", "content": "<answer>3 + 4</answer>"}],
                       [{"role": "user", "content": "<answer>3 + 4</answer>"}],
                       [{"role": "system", "content": "<answer>3 + 4</answer>"}, {"role": "assistant", "content": ""}],
                       [{"role": "assistant", "content": None, "tool_calls": []}],
                       [{"content": "<answer>3 + 4</answer>"}]):
        assert call_like_trl(trl.reward, ["p"], [completion], **columns) == [0.0], completion
    for completion in ([{"role": "assistant", "content": "<answer>3 + 4</answer>"}],
                       [{"role": "assistant", "content": "Let me use the tool."}, {"role": "tool", "content": "7"},
                        {"role": "assistant", "content": "<answer>3 + 4</answer>"}],
                       [{"role": "assistant", "content": [{"type": "text", "text": "<answer>3 + 4</answer>"}]}]):
        assert call_like_trl(trl.reward, ["p"], [completion], **columns) == [1.0], completion
    retracted = [{"role": "assistant", "content": "<answer>3 + 4</answer>"},
                 {"role": "assistant", "content": "That is wrong."}]
    assert call_like_trl(trl.reward, ["p"], [retracted], **columns) == [0.0]


def test_verl_grades_free_order_rows(tmp_path):
    """Rows of `generate_games` entries (24, Countdown) are graded under their rules, and their ground truth
    says the rules; a bare '4 7 8 8 -> 24' text is a 24-game puzzle (it was read as fixed-order: ParseError)."""
    from bracketsolve.evaluation.games_generate import generate_games

    for rules in ("24", "countdown"):
        entries = list(generate_games(3, rules=rules, numbers=4 if rules == "24" else 6, seed=4))
        for row, entry in zip(verl.rows(entries), entries):
            truth = row["reward_model"]["ground_truth"]
            assert truth["rules"] == rules and truth["puzzle"] == entry["metadata"]["puzzle"]
            assert call_like_verl(verl.compute_score, f"<answer>{entry['answer']}</answer>", truth) == 1.0
            assert call_like_verl(verl.compute_score, "<answer>1 + 1</answer>", truth) == 0.0
            assert call_like_verl(verl.compute_score_details, f"<answer>{entry['answer']}</answer>", truth) == \
                {"score": 1.0, "acc": 1.0}
    assert call_like_verl(verl.compute_score, "<answer>(7 - 8 / 8) * 4</answer>", "4 7 8 8 -> 24") == 1.0
    assert call_like_verl(verl.compute_score, "<answer>no solution</answer>", "1 1 1 1 -> 24") == 1.0
    assert call_like_verl(verl.compute_score, "<answer>(7 - 8 / 8) * 4</answer>", {"puzzle": "4 7 8 8 -> 24",
                                                                                   "rules": "24"}) == 1.0
