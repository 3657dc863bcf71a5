import { useMemo } from 'react';
import type { Agent, Team } from '../api/types';
import { useApiList } from './useApiList';

/** Loads the agents (GET /agents) and teams (GET /teams) with name lookups; errors go to onError. */
export function useDirectory(onError: (err: unknown) => void, enabled = true) {
  const agents = useApiList<Agent>('/agents', onError, enabled);
  const teams = useApiList<Team>('/teams', onError, enabled);
  const { items: agentItems, loading: agentsLoading, reload: reloadAgents } = agents;
  const { items: teamItems, loading: teamsLoading, reload: reloadTeams } = teams;
  return useMemo(() => {
    const agentById = new Map(agentItems.map((a) => [a.id, a]));
    const teamById = new Map(teamItems.map((tm) => [tm.id, tm]));
    return {
      agents: agentItems,
      teams: teamItems,
      loading: agentsLoading || teamsLoading,
      agentName: (id?: string | null) => (id ? (agentById.get(id)?.name ?? '') : ''),
      teamName: (id?: string | null) => (id ? (teamById.get(id)?.name ?? '') : ''),
      agent: (id?: string | null) => (id ? agentById.get(id) : undefined),
      reload: () => Promise.all([reloadAgents(), reloadTeams()]),
    };
  }, [agentItems, teamItems, agentsLoading, teamsLoading, reloadAgents, reloadTeams]);
}

export type Directory = ReturnType<typeof useDirectory>;
