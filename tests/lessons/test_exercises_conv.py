import numpy as np

from initkit.lessons.exercises import evaluate

# Typical wrong answers: each must fail with specific feedback (tests/lessons/test_exercises.py).
WRONG = {
    "conv_he_std": lambda k, c_in, c_out: np.sqrt(2 / c_in),  # the dense rule on the channels alone
    "pytorch_default_signal": lambda k, c, depth: 1.0,  # "kaiming_uniform is He": no decay
}


def test_conv_he_std_accepts_k2_cin_and_rejects_the_channels_alone():
    assert evaluate("conv_he_std", lambda k, c_in, c_out: np.sqrt(2 / (k * k * c_in)))[0]
    passed, message = evaluate("conv_he_std", WRONG["conv_he_std"])
    assert not passed and "k=3" in message


def test_pytorch_default_signal_accepts_a_sixth_per_layer_and_rejects_forgetting_relus_half():
    assert evaluate("pytorch_default_signal", lambda k, c, depth: (1 / 6) ** depth)[0]
    assert not evaluate("pytorch_default_signal", lambda k, c, depth: (1 / 3) ** depth)[0]
