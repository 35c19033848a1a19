"""Measurements of a network and the theory they are held against: probe, mean-field theory, Jacobian
spectra, finite-difference gradient checks, the diagnostics of notebook 06 and the mean ± spread summary
of several runs. Imports core and nn."""
