"""initkit.plotting.signal_figures: notebook 08's phase diagram and chi_1 map."""
import matplotlib.pyplot as plt
import numpy as np

from initkit.plotting.signal_figures import chi1_map, plot_phase_diagram, plot_singular_values


def test_chi1_is_one_on_the_critical_point_and_ordered_below_it():
    # sigma_w^2 = 1.76095 at sigma_b^2 = 0.05 is the critical point of tanh (notebook 08, recomputed by hand review)
    chi = chi1_map([1.0, 1.76095, 3.0], [0.05])
    assert chi.shape == (1, 3)
    assert chi[0, 0] < 1 < chi[0, 2]
    np.testing.assert_allclose(chi[0, 1], 1.0, atol=1e-4)


def test_plots_draw_on_the_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    assert plot_phase_diagram(ax=a, n=8, colorbar=False) is a
    spectra = {"gaussian": np.abs(np.random.default_rng(0).standard_normal(100)) + 0.1}
    assert plot_singular_values(spectra, ax=b) is b
