"""The pieces one running emulator shares between its routes."""

from __future__ import annotations

from dataclasses import dataclass

from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.faults import FaultPlan
from airflow_provider.emulator.oauth import OAuthVerifier
from airflow_provider.emulator.state import Clock, EmulatorState


@dataclass(frozen=True)
class EmulatorContext:
    config: EmulatorConfig
    state: EmulatorState
    faults: FaultPlan
    verifier: OAuthVerifier

    @classmethod
    def create(cls, config: EmulatorConfig, clock: Clock | None = None) -> EmulatorContext:
        state = EmulatorState(config) if clock is None else EmulatorState(config, clock)
        return cls(config, state, FaultPlan(config.faults), OAuthVerifier(config))

    def reset(self) -> None:
        """Forget media, posts, requests, seen nonces and the fault plan."""
        self.state.reset()
        self.faults.replace(())
        self.verifier.reset()
