"""Procedures that set a network's weights (initialization beyond one draw): LSUV, fast.ai's LSUV loops, and
greedy layer-wise pretraining. They change weights, so they are neither measurements nor lessons. Imports core,
nn and measure."""
