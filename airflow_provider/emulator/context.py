"""The pieces one running emulator shares between its routes."""

from __future__ import annotations

from dataclasses import dataclass

from airflow_provider.emulator.billing import Billing
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.faults import FaultPlan
from airflow_provider.emulator.oauth import OAuthVerifier
from airflow_provider.emulator.oauth2 import OAuth2Authority
from airflow_provider.emulator.ratelimits import RateLimiter
from airflow_provider.emulator.state import Clock, EmulatorState


@dataclass(frozen=True)
class EmulatorContext:
    config: EmulatorConfig
    state: EmulatorState
    faults: FaultPlan
    verifier: OAuthVerifier
    limiter: RateLimiter
    billing: Billing
    oauth2: OAuth2Authority

    @classmethod
    def create(cls, config: EmulatorConfig, clock: Clock | None = None) -> EmulatorContext:
        state = EmulatorState(config) if clock is None else EmulatorState(config, clock)
        return cls(
            config,
            state,
            FaultPlan(config.faults),
            OAuthVerifier(config),
            RateLimiter(config.rate_limits, state.clock, config.rate_limit_window_secs),
            Billing(config.out_of_credits, config.usage_capped),
            OAuth2Authority(config, state.clock),
        )

    def reset(self) -> None:
        """Forget media, posts, requests, seen nonces, OAuth 2.0 grants, the fault plan, rate-limit counts and billing
        changes."""
        self.state.reset()
        self.faults.replace(())
        self.verifier.reset()
        self.limiter.reset()
        self.billing.reset()
        self.oauth2.reset()
